package com.storeops.imports;

import java.io.IOException;
import com.storeops.db.PartStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Uploaded files, staged in PostgreSQL in parts so that neither side holds a whole file in memory
 * and the api and the worker share nothing but the database. Every part is one short statement:
 * no connection is held while the file is read or parsed.
 */
@Component
public class ImportUploads {

  static final int PART_BYTES = 4 * 1024 * 1024;

  private final JdbcClient jdbc;

  public ImportUploads(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Copies the stream into parts; returns the number of bytes staged. */
  public long stage(UUID operationId, InputStream file) throws IOException {
    long total = 0;
    int part = 0;
    byte[] buffer = new byte[PART_BYTES];
    while (true) {
      int n = file.readNBytes(buffer, 0, buffer.length);
      if (n == 0) {
        return total;
      }
      byte[] data = n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
      jdbc.sql("insert into import_uploads (operation_id, part, data) values (?, ?, ?)")
          .param(operationId).param(part++).param(data).update();
      total += n;
    }
  }

  /** The staged file, fetched part by part as it is read. */
  public InputStream open(UUID operationId) {
    return new PartStream(part -> jdbc.sql("select data from import_uploads where operation_id = ? and part = ?")
        .param(operationId).param(part).query(byte[].class).optional());
  }

  public void delete(UUID operationId) {
    jdbc.sql("delete from import_uploads where operation_id = ?").param(operationId).update();
  }
}

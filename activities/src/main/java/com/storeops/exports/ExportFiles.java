package com.storeops.exports;

import com.storeops.db.PartStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Written export files, kept in PostgreSQL in parts: the worker writes a part per few MB, the api
 * streams them back part by part. The only writer of {@code export_files}.
 */
@Component
public class ExportFiles {

  static final int PART_BYTES = 4 * 1024 * 1024;

  private final JdbcClient jdbc;

  public ExportFiles(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A new file for the operation, replacing what an earlier attempt wrote; parts are stored as they fill. */
  public OutputStream create(UUID operationId) {
    delete(operationId);
    return new OutputStream() {
      private final byte[] buffer = new byte[PART_BYTES];
      private int filled;
      private int part;

      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        while (len > 0) {
          int n = Math.min(len, buffer.length - filled);
          System.arraycopy(b, off, buffer, filled, n);
          filled += n;
          off += n;
          len -= n;
          if (filled == buffer.length) {
            store();
          }
        }
      }

      @Override
      public void close() {
        if (filled > 0) {
          store();
        }
      }

      private void store() {
        jdbc.sql(ExportSql.INSERT_PART).param(operationId).param(part++).param(Arrays.copyOf(buffer, filled)).update();
        filled = 0;
      }
    };
  }

  /** The file, fetched part by part as it is read. */
  public InputStream open(UUID operationId) {
    return new PartStream(part -> jdbc.sql(ExportSql.READ_PART).param(operationId).param(part).query(byte[].class).optional());
  }

  public void delete(UUID operationId) {
    jdbc.sql(ExportSql.DELETE_FILE).param(operationId).update();
  }
}

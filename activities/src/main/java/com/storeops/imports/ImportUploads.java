package com.storeops.imports;

import java.io.IOException;
import com.storeops.db.PartStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
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
  private final DataSource dataSource;

  public ImportUploads(JdbcClient jdbc, DataSource dataSource) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
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
    return new PartStream(part -> fetch(operationId, part));
  }

  /**
   * One part, asked for in binary: a statement the connection has not prepared yet would bring a
   * bytea back as hex text, twice its size, encoded by PostgreSQL and decoded here — for every
   * read of the file by the scan and by each slice of the first import on fresh connections.
   */
  private Optional<byte[]> fetch(UUID operationId, int part) {
    Connection c = DataSourceUtils.getConnection(dataSource); // joins a transaction, as the JdbcClient does
    try (PreparedStatement select = c.prepareStatement("select data from import_uploads where operation_id = ? and part = ?")) {
      select.unwrap(PGStatement.class).setPrepareThreshold(-1); // -1: binary results from the first execution
      select.setObject(1, operationId);
      select.setInt(2, part);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new UncategorizedSQLException("read an upload's part", "select data from import_uploads", e);
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
  }

  public void delete(UUID operationId) {
    jdbc.sql("delete from import_uploads where operation_id = ?").param(operationId).update();
  }
}

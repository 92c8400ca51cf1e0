package com.storeops.imports;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where each chunk of an import starts in the file, and which chunks are committed. The scan writes
 * the plan, once; each slice of the load reads its chunks from it; {@link ImportChunkWriter} marks a
 * chunk committed in the chunk's own transaction. The only writer of {@code import_chunks} and
 * {@code import_scans}.
 */
@Component
public class ImportChunkPlan {

  /** A chunk's first product: its first row's position in characters and its line. */
  public record Start(long firstChar, long firstLine) {}

  /**
   * @param endChar where the next chunk starts; null for the last chunk, which runs to the end
   * @param endLine the next chunk's first line; null for the last chunk
   */
  public record Chunk(int index, long firstChar, long firstLine, Long endChar, Long endLine, boolean committed) {}

  /** The scan's outcome as planned: whichever attempt planned it. */
  public record Planned(long products, int chunkProducts, int chunks, boolean byThisAttempt) {}

  private final JdbcClient jdbc;

  public ImportChunkPlan(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Plans the load — chunk i starts at {@code starts[i]} — unless the import has a plan, in the
   * caller's transaction; answers the plan that stands. A plan, once written, is never replaced:
   * loads may have committed chunks against it, and their marks are its checkpoint. A scan attempt
   * that Temporal gave up on and that still runs therefore changes nothing when it gets here, and
   * neither does one that gets here after the import ended. Concurrent attempts wait for each
   * other on the scan's row.
   */
  public Planned planOnce(UUID operationId, List<Start> starts, long products, int chunkProducts) {
    int planned = jdbc.sql("""
            insert into import_scans (operation_id, products, chunk_products, chunks) values (?, ?, ?, ?)
            on conflict (operation_id) do nothing""")
        .param(operationId).param(products).param(chunkProducts).param(starts.size())
        .update();
    if (planned == 1) {
      write(operationId, starts);
      return new Planned(products, chunkProducts, starts.size(), true);
    }
    return jdbc.sql("select products, chunk_products, chunks from import_scans where operation_id = ?")
        .param(operationId)
        .query((rs, n) -> new Planned(rs.getLong(1), rs.getInt(2), rs.getInt(3), false))
        .single();
  }

  /** Writes chunk i to start at {@code starts[i]}. */
  void write(UUID operationId, List<Start> starts) {
    if (starts.isEmpty()) {
      return;
    }
    jdbc.sql("""
        insert into import_chunks (operation_id, chunk, first_char, first_line)
        select ?, t.n - 1, t.first_char, t.first_line
        from unnest(?::bigint[], ?::bigint[]) with ordinality as t(first_char, first_line, n)""")
        .param(operationId)
        .param(starts.stream().map(Start::firstChar).toArray(Long[]::new))
        .param(starts.stream().map(Start::firstLine).toArray(Long[]::new))
        .update();
  }

  public List<Chunk> chunks(UUID operationId) {
    return jdbc.sql("""
        select chunk, first_char, first_line, lead(first_char) over (order by chunk),
               lead(first_line) over (order by chunk), imported is not null
        from import_chunks where operation_id = ? order by chunk""")
        .param(operationId)
        .query((rs, n) -> new Chunk(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getObject(4, Long.class),
            rs.getObject(5, Long.class), rs.getBoolean(6)))
        .list();
  }

  /** What the committed chunks of one slice wrote, whichever attempt committed them. */
  public ImportActivities.Loaded committed(UUID operationId, int slice, int slices) {
    return jdbc.sql("""
            select coalesce(sum(imported), 0), coalesce(sum(skipped), 0) from import_chunks
            where operation_id = ? and chunk % ? = ?""")
        .param(operationId).param(slices).param(slice)
        .query((rs, n) -> new ImportActivities.Loaded(rs.getLong(1), rs.getLong(2)))
        .single();
  }

  /**
   * Marks a chunk committed with what it wrote, in the caller's transaction (the chunk's own).
   * False when it was committed already — by an earlier attempt — or never planned.
   */
  public boolean markCommitted(UUID operationId, int chunk, long imported, long skipped) {
    return jdbc.sql("""
            update import_chunks set imported = ?, skipped = ?
            where operation_id = ? and chunk = ? and imported is null""")
        .param(imported).param(skipped).param(operationId).param(chunk)
        .update() == 1;
  }

  /**
   * Deletes the chunks at the import's end. The scan's row stays (it goes with the operation), so a
   * scan attempt still running somewhere cannot plan the ended import again.
   */
  public void clear(UUID operationId) {
    jdbc.sql("delete from import_chunks where operation_id = ?").param(operationId).update();
  }
}

package com.storeops.imports;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where each chunk of an import starts in the file, and which chunks are committed. The scan writes
 * the plan; each slice of the load reads its chunks from it; {@link ImportChunkWriter} marks a
 * chunk committed in the chunk's own transaction. The only writer of {@code import_chunks}.
 */
@Component
public class ImportChunkPlan {

  /** A chunk's first product: its first row's position in characters and its line. */
  public record Start(long firstChar, long firstLine) {}

  /** @param endChar where the next chunk starts; null for the last chunk, which runs to the end */
  public record Chunk(int index, long firstChar, long firstLine, Long endChar, boolean committed) {}

  private final JdbcClient jdbc;

  public ImportChunkPlan(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Replaces any earlier attempt's plan: chunk i starts at {@code starts[i]}. */
  public void write(UUID operationId, List<Start> starts) {
    clear(operationId);
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
        select chunk, first_char, first_line, lead(first_char) over (order by chunk), imported is not null
        from import_chunks where operation_id = ? order by chunk""")
        .param(operationId)
        .query((rs, n) -> new Chunk(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getObject(4, Long.class), rs.getBoolean(5)))
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

  public void clear(UUID operationId) {
    jdbc.sql("delete from import_chunks where operation_id = ?").param(operationId).update();
  }
}

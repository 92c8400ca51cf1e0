package com.storeops.db.fleet;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only writer of {@code fleet_leases}: every storeops process sharing one PostgreSQL leases the
 * connections its pool may open, so together they stay under {@code max_connections} minus a
 * reserve (superuser slots, Temporal's pools, operators). Each statement here is short and runs on
 * whatever connection the caller's pool lends.
 */
public class FleetLeases {

  /** One process's lease as others see it. */
  public record Member(String process, int poolSize, OffsetDateTime expiresAt) {}

  /**
   * The arithmetic of one join: room is {@code maxConnections - reserve}; the others lease
   * {@code leased}; this process asks for {@code poolSize}.
   */
  public record Admission(int maxConnections, int reserve, List<Member> others, int poolSize) {

    public int room() {
      return maxConnections - reserve;
    }

    public int leased() {
      return others.stream().mapToInt(Member::poolSize).sum();
    }

    public boolean fits() {
      return leased() + poolSize <= room();
    }

    public String arithmetic() {
      return "max_connections %d - reserve %d = %d connections for storeops; %d process(es) lease %d, this one asks %d: %d %s %d"
          .formatted(maxConnections, reserve, room(), others.size(), leased(), poolSize, leased() + poolSize,
              fits() ? "<=" : ">", room());
    }
  }

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public FleetLeases(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Takes (or renews) the lease of {@code id} for {@code poolSize} connections if the fleet has
   * room, in one transaction serialized against every other join. Returns the arithmetic either way;
   * nothing is written when it does not fit.
   */
  public Admission join(UUID id, String process, int poolSize, int reserve, Duration ttl) {
    return transactions.execute(status -> {
      jdbc.sql(FleetSql.LOCK_FLEET).query().singleRow();
      jdbc.sql(FleetSql.DROP_EXPIRED).update();
      int maxConnections = jdbc.sql(FleetSql.MAX_CONNECTIONS).query(Integer.class).single();
      List<Member> others = jdbc.sql(FleetSql.OTHERS).param("id", id).query(Member.class).list();
      Admission admission = new Admission(maxConnections, reserve, others, poolSize);
      if (admission.fits()) {
        jdbc.sql(FleetSql.UPSERT)
            .param("id", id).param("process", process).param("poolSize", poolSize).param("ttlSeconds", seconds(ttl))
            .update();
      }
      return admission;
    });
  }

  /** False when the lease had already expired (and may have been given to another process). */
  public boolean renew(UUID id, Duration ttl) {
    return jdbc.sql(FleetSql.RENEW).param("id", id).param("ttlSeconds", seconds(ttl)).update() == 1;
  }

  public void leave(UUID id) {
    jdbc.sql(FleetSql.LEAVE).param("id", id).update();
  }

  /** The live leases, oldest first. */
  public List<Member> members() {
    return jdbc.sql(FleetSql.MEMBERS).query(Member.class).list();
  }

  private static double seconds(Duration ttl) {
    return ttl.toMillis() / 1000.0;
  }
}

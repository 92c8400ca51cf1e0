package com.storeops.db.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.storeops.config.InvalidSettingException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Several storeops processes — each its own pool of 5 — against one PostgreSQL whose
 * {@code max_connections} fits exactly two of them: 20 − reserve 8 = room for 12. The processes
 * connect as an ordinary role, so PostgreSQL's 3 superuser slots are not theirs: a pool that opened
 * past the limit would see "too many clients already".
 */
class FleetLeaseTest {

  private static final int MAX_CONNECTIONS = 20;
  private static final int RESERVE = 8;
  private static final int POOL = 5;
  private static final FleetSettings SETTINGS = new FleetSettings(RESERVE, Duration.ofSeconds(30));

  private static EmbeddedPostgres postgres;
  private static String url;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private JdbcClient admin;

  @BeforeAll
  static void startOnePostgresWithFewConnections() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", String.valueOf(MAX_CONNECTIONS)).start();
    try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
      admin.createStatement().execute("create role storeops login password 'storeops'");
      admin.createStatement().execute("create database fleet owner storeops");
    }
    url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/fleet";
    Flyway.configure().dataSource(url, "storeops", "storeops").locations("classpath:db/migration").load().migrate();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void emptyFleet() {
    admin = JdbcClient.create(pool());
    admin.sql("delete from fleet_leases").update();
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  @Test
  void twoProcessesFitAndTheThirdRefusesToStartWithTheArithmetic() throws Exception {
    HikariDataSource firstPool = pool();
    HikariDataSource secondPool = pool();
    FleetMembership first = new FleetMembership(leases(firstPool), SETTINGS, firstPool.getMaximumPoolSize());
    FleetMembership second = new FleetMembership(leases(secondPool), SETTINGS, secondPool.getMaximumPoolSize());
    first.afterPropertiesSet();
    second.afterPropertiesSet();

    assertThatThrownBy(() -> process().afterPropertiesSet())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("max_connections 20 - reserve 8 = 12 connections for storeops")
        .hasMessageContaining("2 process(es) lease 10, this one asks 5: 15 > 12");

    assertThat(first.fleet().members()).hasSize(2);
    assertThat(first.fleet().leased()).isEqualTo(10);
    assertThat(first.fleet().room()).isEqualTo(12);
    // Both admitted pools open every connection they leased at once, with the refused one's
    // starting connection still open: nobody is turned away by PostgreSQL.
    List<Connection> held = new ArrayList<>();
    try {
      for (HikariDataSource pool : List.of(firstPool, secondPool)) {
        for (int i = 0; i < POOL; i++) {
          held.add(pool.getConnection());
        }
      }
      assertThat(held).hasSize(2 * POOL);
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
    first.destroy();
    second.destroy();
  }

  @Test
  void aCrashedProcessesLeaseRunsOutAndItsRoomGoesToTheNext() {
    process().afterPropertiesSet();
    // A process that joined and then died: nothing renews or returns its lease.
    FleetLeases crashed = leases(pool());
    assertThat(crashed.join(UUID.randomUUID(), "crashed", POOL, RESERVE, Duration.ofSeconds(5)).fits()).isTrue();

    FleetLeases next = leases(pool());
    UUID nextId = UUID.randomUUID();
    assertThat(next.join(nextId, "next", POOL, RESERVE, SETTINGS.lease()).fits()).as("while the lease lasts").isFalse();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> next.join(nextId, "next", POOL, RESERVE, SETTINGS.lease()).fits());
    assertThat(next.members()).extracting(FleetLeases.Member::process).doesNotContain("crashed").contains("next");
  }

  @Test
  void aCleanShutdownReturnsTheLease() {
    FleetMembership membership = process();
    membership.afterPropertiesSet();
    assertThat(membership.fleet().members()).hasSize(1);

    membership.destroy();

    assertThat(admin.sql("select count(*) from fleet_leases").query(Integer.class).single()).isZero();
  }

  /** A database that no longer answers (it stopped first, an outage) must not hold the shutdown. */
  @Test
  void shutdownDoesNotWaitForADatabaseThatDoesNotAnswer() {
    HikariDataSource pool = pool();
    CountDownLatch never = new CountDownLatch(1);
    FleetLeases hanging = new FleetLeases(JdbcClient.create(pool), new TransactionTemplate(new DataSourceTransactionManager(pool))) {
      @Override
      public void leave(UUID id) {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    FleetMembership membership = new FleetMembership(hanging, SETTINGS, POOL);
    membership.afterPropertiesSet();

    long started = System.nanoTime();
    membership.destroy();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  /** The advisory lock serializes joins: started together, still only two get in. */
  @Test
  void processesStartingTogetherNeverOverbook() throws Exception {
    int processes = 4;
    List<FleetLeases> fleet = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      fleet.add(leases(pool()));
    }
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(processes);
    try {
      List<Future<Boolean>> joined = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        FleetLeases leases = fleet.get(i);
        String name = "p" + i;
        joined.add(threads.submit((Callable<Boolean>) () -> {
          go.await();
          return leases.join(UUID.randomUUID(), name, POOL, RESERVE, SETTINGS.lease()).fits();
        }));
      }
      go.countDown();
      int admitted = 0;
      for (Future<Boolean> f : joined) {
        admitted += f.get() ? 1 : 0;
      }
      assertThat(admitted).isEqualTo(2);
      assertThat(fleet.get(0).members()).hasSize(2);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void renewalRejoinsWhenTheLeaseRanOutAndTheRoomIsStillFree() {
    HikariDataSource pool = pool();
    FleetLeases leases = leases(pool);
    FleetMembership membership = new FleetMembership(leases, SETTINGS, POOL);
    membership.afterPropertiesSet();
    admin.sql("delete from fleet_leases").update();

    membership.renew();

    assertThat(leases.members()).hasSize(1);
    membership.destroy();
  }

  private FleetMembership process() {
    HikariDataSource pool = pool();
    return new FleetMembership(leases(pool), SETTINGS, pool.getMaximumPoolSize());
  }

  /** A process's pool as DataSourceConfig builds it: DB_POOL_SIZE 1 kept open, up to 5. */
  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("storeops");
    config.setPassword("storeops");
    config.setMinimumIdle(1);
    config.setMaximumPoolSize(POOL);
    config.setConnectionTimeout(5_000);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  private static FleetLeases leases(HikariDataSource pool) {
    return new FleetLeases(JdbcClient.create(pool), new TransactionTemplate(new DataSourceTransactionManager(pool)));
  }
}

package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.storeops.config.InvalidSettingException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

/** Startup refuses settings it cannot honour, says which and why, and never prints a secret. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

  private static final String PASSWORD = "s3cr3t-Pa55";

  @Test
  void malformedDatabaseUrlNamesTheProblemWithoutThePassword(CapturedOutput output) {
    InvalidSettingException e = startFailing("storeops.database.url=postgresql://shop:" + PASSWORD + "@db.internal:fivefourthreetwo/shop");

    assertThat(e.setting()).isEqualTo("DATABASE_URL");
    assertThat(e.problem()).contains("port is not a number");
    assertThat(output).contains("Setting DATABASE_URL is not usable").doesNotContain(PASSWORD);
  }

  @Test
  void unreachableDatabaseNamesHostAndReasonWithoutThePassword(CapturedOutput output) {
    InvalidSettingException e = startFailing("storeops.database.url=postgresql://shop:" + PASSWORD + "@127.0.0.1:1/shop");

    assertThat(e.setting()).isEqualTo("DATABASE_URL");
    assertThat(e.problem()).contains("cannot connect to 127.0.0.1:1/shop as shop").contains("refused");
    assertThat(output).doesNotContain(PASSWORD);
  }

  @Test
  void moreActivitiesThanThePoolServesStopsStartupWithTheArithmetic(CapturedOutput output) {
    InvalidSettingException e = startFailing("storeops.worker.max-concurrent-operations=20");

    assertThat(e.setting()).isEqualTo("MAX_CONCURRENT_OPERATIONS");
    assertThat(e.problem())
        .contains("20 concurrent activities would need 20 connections")
        .contains("DB_POOL_SIZE + DB_MAX_OVERFLOW = 15, minus STOREOPS_API_RESERVE 3 for the api role = 12");
    assertThat(output).contains("APPLICATION FAILED TO START");
  }

  @Test
  void zeroWeightStopsStartupBecauseItWouldStarveTheQueue() {
    InvalidSettingException e = startFailing("storeops.worker.queues.import.weight=0");

    assertThat(e.setting()).isEqualTo("STOREOPS_IMPORT_WEIGHT");
    assertThat(e.problem()).contains("would starve the queue");
  }

  @Test
  void aTrainingRunWithoutBothRolesStopsStartupNamingTheRoles() {
    InvalidSettingException e = startFailing("storeops.training.products=100", "storeops.worker.roles=worker");

    assertThat(e.setting()).isEqualTo("STOREOPS_TRAINING_PRODUCTS");
    assertThat(e.problem()).contains("needs both roles, STOREOPS_ROLES=api,worker (was worker)");
  }

  @Test
  void trainingProductsThatAreNotAWholeNumberStopStartupNamingTheSetting() {
    InvalidSettingException e = startFailing("storeops.training.products=many");

    assertThat(e.setting()).isEqualTo("STOREOPS_TRAINING_PRODUCTS");
    assertThat(e.problem()).contains("must be a whole number of products, 0 to serve (was 'many')");
  }

  @Test
  void aTrainingRunWithATemporalAddressSetStopsStartup() {
    InvalidSettingException e = startFailing("storeops.training.products=100", "storeops.temporal.address=127.0.0.1:1");

    assertThat(e.setting()).isEqualTo("STOREOPS_TRAINING_PRODUCTS");
    assertThat(e.problem()).contains("unset DATABASE_URL and TEMPORAL_ADDRESS");
  }

  /** A key read from a secrets file with its line break could never match a request's header, and would be printed by the JDK's refusal of it as a header value. */
  @Test
  void anApiKeyWithALineBreakStopsStartupWithoutPrintingIt(CapturedOutput output) {
    InvalidSettingException e = startFailing("storeops.api.key=" + PASSWORD + "\n");

    assertThat(e.setting()).isEqualTo("STOREOPS_API_KEY");
    assertThat(e.problem()).contains("control character");
    assertThat(output).doesNotContain(PASSWORD);
  }

  private static InvalidSettingException startFailing(String... properties) {
    Throwable thrown = catchThrowable(() -> new SpringApplicationBuilder(StoreopsApplication.class)
        .profiles("test")
        .run(Arrays.stream(properties).map(p -> "--" + p).toArray(String[]::new))
        .close());
    assertThat(thrown).as("startup must fail").isNotNull();
    Throwable cause = thrown;
    while (cause != null && !(cause instanceof InvalidSettingException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("an InvalidSettingException in %s", NestedExceptionUtils.getMostSpecificCause(thrown)).isNotNull();
    return (InvalidSettingException) cause;
  }
}

package com.storeops.lab;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

public class LoadActivitiesImpl implements LoadActivities {

  private final DataSource dataSource;
  private final LabRecorder recorder;

  public LoadActivitiesImpl(DataSource dataSource, LabRecorder recorder) {
    this.dataSource = dataSource;
    this.recorder = recorder;
  }

  @Override
  public void work(Work work) {
    long started = System.currentTimeMillis();
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    recorder.started();
    try {
      if (work.holdConnection()) {
        try (Connection c = dataSource.getConnection();
            PreparedStatement sleep = c.prepareStatement("select pg_sleep(?)")) {
          sleep.setDouble(1, work.millis() / 1000.0);
          sleep.execute();
        }
      } else {
        Thread.sleep(work.millis());
      }
    } catch (SQLException e) {
      recorder.failed(work.queue());
      throw Activity.wrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      recorder.failed(work.queue());
      throw Activity.wrap(e);
    }
    recorder.finished(new LabRecorder.Completion(
        work.queue(), started, System.currentTimeMillis(), started - info.getCurrentAttemptScheduledTimestamp()));
  }
}

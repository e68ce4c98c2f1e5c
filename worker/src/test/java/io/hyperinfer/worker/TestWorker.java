package io.hyperinfer.worker;

import io.hyperinfer.worker.net.NetFacility;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A worker whose start and stop do what a test tells them and write to a journal. */
class TestWorker extends Worker {
  interface Step {
    void run(TestWorker w) throws Exception;
  }

  final List<String> journal;
  private final Step onStart;
  private final Step onStop;

  TestWorker(WorkerContext ctx, Config config, Facilities facilities, List<String> journal, Step onStart,
      Step onStop) {
    super(ctx, config, facilities);
    this.journal = journal;
    this.onStart = onStart;
    this.onStop = onStop;
  }

  TestWorker(Config config, Facilities facilities, Step onStart) {
    this(new WorkerContext("test", "test", "t1"), config, facilities, new CopyOnWriteArrayList<>(), onStart,
        w -> {});
  }

  @Override
  protected void onStart() throws Exception {
    journal.add("onStart");
    onStart.run(this);
  }

  @Override
  protected void onStop() throws Exception {
    journal.add("onStop");
    onStop.run(this);
  }

  NetFacility netForTest() {
    return net();
  }
}

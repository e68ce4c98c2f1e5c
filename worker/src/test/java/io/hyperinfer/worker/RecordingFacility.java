package io.hyperinfer.worker;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A facility that writes its lifecycle calls to a shared journal and can be told to fail at start. */
final class RecordingFacility implements Facility {
  private final String name;
  private final int priority;
  private final List<String> journal;
  private final Consumer<FacilityContext> onStart;

  RecordingFacility(String name, int priority, List<String> journal, Consumer<FacilityContext> onStart) {
    this.name = name;
    this.priority = priority;
    this.journal = journal;
    this.onStart = onStart;
  }

  RecordingFacility(String name, int priority, List<String> journal) {
    this(name, priority, journal, ctx -> {});
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public void start(FacilityContext context) {
    journal.add("start " + name);
    onStart.accept(context);
  }

  @Override
  public boolean drain(Duration timeout) {
    journal.add("drain " + name);
    return true;
  }

  @Override
  public void stop() {
    journal.add("stop " + name);
  }
}

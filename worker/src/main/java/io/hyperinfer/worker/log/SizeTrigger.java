package io.hyperinfer.worker.log;

import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import java.io.File;

/**
 * Rolls the log file once it reaches {@code maxBytes}. Logback's own size policy looks at the file at most once a
 * minute, so a burst can grow the file far past its bound; this one looks at every event (one stat call). Thread-safe
 * (the appender calls it under its lock).
 */
final class SizeTrigger<E> extends TriggeringPolicyBase<E> {
  private final long maxBytes;

  SizeTrigger(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean isTriggeringEvent(File activeFile, E event) {
    return activeFile.length() >= maxBytes;
  }
}

package io.hyperinfer.app;

import io.hyperinfer.worker.log.LogSettings;
import io.hyperinfer.worker.log.LogSetup;

/**
 * The launcher's one knob on logging: a command's quiet default root level. Logging itself is set up by the worker
 * module's {@link LogSetup} (format, level, file, rotation from {@code -Dhyperinfer.log.*} or {@code HYPERINFER_LOG_*}),
 * and a level the operator set there wins over the command's default.
 */
final class Logs {
  private Logs() {}

  /** Sets the root level unless the operator chose one with {@code hyperinfer.log.level}. */
  static void setRootLevel(String level) {
    LogSettings settings = LogSetup.current();
    if (settings == null || !settings.levelExplicit()) {
      LogSetup.level(level);
    }
  }
}

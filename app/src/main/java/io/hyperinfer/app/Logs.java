package io.hyperinfer.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The launcher's one knob on logging: the root level of the bundled Logback. */
final class Logs {
  private Logs() {}

  /** Sets the root level when Logback is the SLF4J backend; otherwise leaves logging as configured. */
  static void setRootLevel(String level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.toLevel(level, Level.WARN));
    }
  }
}

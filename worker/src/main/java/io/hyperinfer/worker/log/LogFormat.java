package io.hyperinfer.worker.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import org.slf4j.LoggerFactory;

/**
 * Chooses plain or JSON log lines. The bundled logback.xml picks by system property {@code hyperinfer.log.format}
 * ("plain" by default, or "json"); {@link #apply(Config)} switches at run time by config key {@code log.format}.
 * Both write one line per event to standard error with the worker type and instance id from the MDC.
 */
public final class LogFormat {
  public static final String PLAIN = "plain";
  public static final String JSON = "json";
  /** The plain line layout (as in logback.xml): one line per event, a stack trace folded onto it. */
  public static final String PLAIN_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%X{workerType:--}/%X{instanceId:--}] %logger{30} - %msg"
          + "%replace( %ex{12}){'[\\r\\n]+\\s*', ' | '}%nopex%n";

  private LogFormat() {}

  /** Applies {@code log.format} from the config, if set; a value other than plain/json fails with the key path. */
  public static void apply(Config config) {
    if (config.has("log.format")) {
      use(config.string("log.format"));
    }
  }

  /** Routes the root logger to a fresh console appender of the given format, replacing the bundled ones. */
  public static void use(String format) {
    if (!PLAIN.equals(format) && !JSON.equals(format)) {
      throw ConfigException.invalid("log.format", "expected 'plain' or 'json', was '" + format + "'");
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(format) != null) {
      return;
    }
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(format);
    appender.setTarget("System.err");
    appender.setEncoder(encoder(context, format));
    appender.start();
    root.detachAppender(PLAIN);
    root.detachAppender(JSON);
    root.addAppender(appender);
  }

  /** The format the root logger writes now: plain, json, or "custom" when logback.xml was replaced. */
  public static String current() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return "custom";
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(JSON) != null) {
      return JSON;
    }
    return root.getAppender(PLAIN) != null ? PLAIN : "custom";
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if (JSON.equals(format)) {
      LayoutWrappingEncoder<ILoggingEvent> enc = new LayoutWrappingEncoder<>();
      JsonLayout layout = new JsonLayout();
      layout.setContext(context);
      layout.start();
      enc.setLayout(layout);
      enc.setContext(context);
      enc.start();
      return enc;
    }
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(context);
    enc.setPattern(PLAIN_PATTERN);
    enc.start();
    return enc;
  }
}

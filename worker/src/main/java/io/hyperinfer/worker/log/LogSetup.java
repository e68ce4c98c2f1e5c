package io.hyperinfer.worker.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The one place logging is set up, for workers and the launcher alike. Logback finds this class as a
 * {@link Configurator} service and calls it first: unless a {@code logback.xml} / {@code logback-test.xml} is on the
 * class path or {@code -Dlogback.configurationFile} names one (an operator's own file wins), it applies
 * {@link LogSettings#fromSystem()}. A worker's config may then change the settings at its start ({@link #apply(Config)}).
 * Writes go to standard error, or to a file rotated by size ({@code file}, {@code file.1} ... up to {@code maxFiles}
 * in all) in a private folder. Thread-safe.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** The name of the root appender this class installs. */
  static final String APPENDER = "hyperinfer";
  private static volatile LogSettings current;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null || onClassPath("logback-test.xml")
        || onClassPath("logback.xml")) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogSettings settings;
    try {
      settings = LogSettings.fromSystem();
    } catch (ConfigException e) {
      settings = new LogSettings(LogSettings.PLAIN, "INFO", java.util.Optional.empty(),
          LogSettings.DEFAULT_MAX_FILE_SIZE, LogSettings.DEFAULT_MAX_FILES, false);
      install(context, settings);
      context.getLogger(LogSetup.class).warn("logging settings ignored: {}", e.getMessage());
      return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
    install(context, settings);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Applies the config's {@code log.*} keys over this process's settings; nothing when it sets none. */
  public static void apply(Config config) {
    if (LogSettings.configures(config)) {
      apply(LogSettings.fromSystemAnd(config));
    }
  }

  /** Routes the root logger through one appender built from {@code settings}; the same settings twice is a no-op. */
  public static synchronized void apply(LogSettings settings) {
    if (settings.equals(current) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    install(context, settings);
  }

  /** The settings in force, when this class set logging up (null when a logback.xml did). */
  public static LogSettings current() {
    LoggerFactory.getILoggerFactory(); // the first call sets logging up, and with it the settings
    return current;
  }

  /** Sets the root level; {@code level} as in {@link LogSettings}. */
  public static void level(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }

  private static synchronized void install(LoggerContext context, LogSettings settings) {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> appender = settings.file().isPresent()
        ? fileAppender(context, settings, settings.file().get()) : consoleAppender(context, settings);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    root.setLevel(Level.toLevel(settings.level(), Level.INFO));
    current = settings;
  }

  private static Appender<ILoggingEvent> consoleAppender(LoggerContext context, LogSettings settings) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setTarget("System.err");
    return started(appender, context, settings);
  }

  private static Appender<ILoggingEvent> fileAppender(LoggerContext context, LogSettings settings, Path file) {
    Path absolute = file.toAbsolutePath();
    try {
      PrivateFiles.createDirectories(absolute.getParent());
    } catch (IOException e) {
      throw ConfigException.invalid("log.file", "cannot create the folder of " + absolute + " (" + e.getMessage()
          + "); choose a writable path");
    }
    RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
    appender.setContext(context);
    appender.setFile(absolute.toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(appender);
    rolling.setFileNamePattern(absolute + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(Math.max(1, settings.maxFiles() - 1));
    SizeTrigger<ILoggingEvent> trigger = new SizeTrigger<>(settings.maxFileSize());
    trigger.setContext(context);
    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    rolling.start();
    trigger.start();
    return started(appender, context, settings);
  }

  private static Appender<ILoggingEvent> started(OutputStreamAppender<ILoggingEvent> appender, LoggerContext context,
      LogSettings settings) {
    Layout<ILoggingEvent> layout = LogSettings.JSON.equals(settings.format()) ? new JsonLayout() : new PlainLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  private static boolean onClassPath(String resource) {
    ClassLoader loader = LogSetup.class.getClassLoader();
    return loader != null && loader.getResource(resource) != null;
  }
}

package io.hyperinfer.worker.log;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.regex.Pattern;

/**
 * One line per event: ISO-8601 time in UTC, level, {@code [workerType/instanceId]} from the MDC, logger, message, and
 * the stack trace (12 frames) folded onto the same line with {@code " | "}; secrets masked by {@link Redact#text}.
 * Thread-safe once started.
 */
public final class PlainLayout extends LayoutBase<ILoggingEvent> {
  /** The line layout. */
  public static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%X{workerType:--}/%X{instanceId:--}] %logger{30} - %msg"
          + "%n%ex{12}";

  private static final Pattern LINE_BREAKS = Pattern.compile("\\s*[\\r\\n]+\\s*");

  private final PatternLayout pattern = new PatternLayout();

  @Override
  public void start() {
    pattern.setContext(getContext());
    pattern.setPattern(PATTERN);
    pattern.start();
    super.start();
  }

  @Override
  public void stop() {
    pattern.stop();
    super.stop();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    String line = LINE_BREAKS.matcher(pattern.doLayout(event).strip()).replaceAll(" | ");
    return Redact.text(line) + CoreConstants.LINE_SEPARATOR;
  }
}

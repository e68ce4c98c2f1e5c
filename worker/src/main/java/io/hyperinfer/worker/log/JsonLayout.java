package io.hyperinfer.worker.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line: time, level, logger, thread, message, every MDC entry (worker type and instance id among
 * them), and the exception class, message and frames when there is one. Thread-safe.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  private static final int MAX_FRAMES = 20;

  @Override
  public String doLayout(ILoggingEvent event) {
    ObjectNode line = Json.object();
    line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
    line.put("level", event.getLevel().toString());
    line.put("logger", event.getLoggerName());
    line.put("thread", event.getThreadName());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      mdc.forEach(line::put);
    }
    line.put("message", event.getFormattedMessage());
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      ObjectNode e = line.putObject("error");
      e.put("class", error.getClassName());
      e.put("message", error.getMessage());
      var frames = e.putArray("frames");
      StackTraceElementProxy[] stack = error.getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(MAX_FRAMES, stack.length); i++) {
        frames.add(stack[i].getSTEAsString());
      }
    }
    return line.toString() + CoreConstants.LINE_SEPARATOR;
  }

  @Override
  public String getContentType() {
    return "application/json";
  }
}

package io.hyperinfer.worker.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: time, level, logger, thread, message, every MDC entry (worker type and instance id among
 * them), the event's key-value pairs (SLF4J's {@code addKeyValue}: a request line's method, peer, outcome and ms) as
 * fields of their own, and the exception class, message and frames when there is one. Text is masked by
 * {@link Redact#text} and key-value pairs with secret names by {@link Redact#isSecretField}. Thread-safe.
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
    line.put("message", Redact.text(event.getFormattedMessage()));
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair kv : pairs) {
        if (kv.key == null || line.has(kv.key)) {
          continue;
        }
        if (Redact.isSecretField(kv.key)) {
          line.put(kv.key, Redact.MASK);
        } else if (kv.value instanceof Number n) {
          line.set(kv.key, Json.MAPPER.valueToTree(n));
        } else {
          line.put(kv.key, kv.value == null ? null : Redact.text(String.valueOf(kv.value)));
        }
      }
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      ObjectNode e = line.putObject("error");
      e.put("class", error.getClassName());
      e.put("message", Redact.text(error.getMessage()));
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

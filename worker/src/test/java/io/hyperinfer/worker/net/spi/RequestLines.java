package io.hyperinfer.worker.net.spi;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Captures the request log's events while open. */
public final class RequestLines implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger(RequestLog.LOGGER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public RequestLines() {
    appender.start();
    logger.addAppender(appender);
  }

  public List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /** An event's key-value pairs in order. */
  public static Map<String, Object> pairs(ILoggingEvent e) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<KeyValuePair> kvs = e.getKeyValuePairs();
    if (kvs != null) {
      kvs.forEach(kv -> out.put(kv.key, kv.value));
    }
    return out;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}

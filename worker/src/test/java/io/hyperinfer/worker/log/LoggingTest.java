package io.hyperinfer.worker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingTest {
  private final WorkerContext ctx = new WorkerContext("auth", "test", "auth-1");

  @AfterEach
  void restorePlain() {
    LogFormat.use(LogFormat.PLAIN);
  }

  @Test
  void shouldSetAndRestoreMdcWhenRunningWorkerCode() throws Exception {
    MDC.put(WorkerMdc.TYPE, "outer");
    WorkerMdc.run(ctx, () -> {
      assertEquals("auth", MDC.get(WorkerMdc.TYPE));
      assertEquals("auth-1", MDC.get(WorkerMdc.INSTANCE));
    });
    assertEquals("outer", MDC.get(WorkerMdc.TYPE));
    assertNull(MDC.get(WorkerMdc.INSTANCE));
    assertEquals("auth-1", WorkerMdc.call(ctx, () -> MDC.get(WorkerMdc.INSTANCE)));
    MDC.clear();
    WorkerMdc.wrap(ctx, () -> assertEquals("auth", MDC.get(WorkerMdc.TYPE))).run();
    assertNull(MDC.get(WorkerMdc.TYPE));
  }

  @Test
  void shouldWriteOneJsonLineWithMdcWhenEventIsLaidOut() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.hyperinfer.Test"), Level.WARN,
        "user {} failed", new IllegalStateException("boom"), new Object[] {"u1"});
    event.setMDCPropertyMap(Map.of(WorkerMdc.TYPE, "auth", WorkerMdc.INSTANCE, "auth-1"));
    JsonLayout layout = new JsonLayout();
    String line = layout.doLayout(event);
    assertTrue(line.endsWith(System.lineSeparator()));
    assertEquals(1, line.strip().lines().count());
    JsonNode json = Json.parse(line);
    assertEquals("WARN", json.get("level").asText());
    assertEquals("user u1 failed", json.get("message").asText());
    assertEquals("auth", json.get("workerType").asText());
    assertEquals("auth-1", json.get("instanceId").asText());
    assertEquals("java.lang.IllegalStateException", json.get("error").get("class").asText());
    assertTrue(json.get("error").get("frames").size() > 0);
    assertEquals("application/json", layout.getContentType());
  }

  @Test
  void shouldSwitchRootAppenderWhenFormatIsConfigured() {
    LogFormat.apply(ConfigLoader.withOverrides(Config.empty(), List.of("log.format=json")));
    assertEquals(LogFormat.JSON, LogFormat.current());
    LoggerFactory.getLogger(LoggingTest.class).info("json line for the test");
    LogFormat.use(LogFormat.PLAIN);
    assertEquals(LogFormat.PLAIN, LogFormat.current());
    LogFormat.use(LogFormat.PLAIN);
    LogFormat.apply(Config.empty());
    assertEquals(LogFormat.PLAIN, LogFormat.current());
    assertEquals("log.format", assertThrows(ConfigException.class, () -> LogFormat.use("xml")).path());
  }
}

package io.hyperinfer.worker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;

class LoggingTest {
  private static final String API_KEY = "hi_0123456789abcdef_" + "A".repeat(43);
  private final WorkerContext ctx = new WorkerContext("auth", "test", "auth-1");
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @TempDir
  Path dir;

  @AfterEach
  void restoreDefaults() {
    LogSetup.apply(LogSettings.fromSystem());
  }

  private LoggingEvent event(String message, Throwable error, Object... args) {
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.hyperinfer.Test"), Level.WARN, message, error,
        args);
    event.setMDCPropertyMap(Map.of(WorkerMdc.TYPE, "auth", WorkerMdc.INSTANCE, "auth-1"));
    return event;
  }

  /** What logging one line at WARN writes to standard error. */
  private static String stderrOf(Runnable logging) {
    PrintStream old = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      logging.run();
    } finally {
      System.setErr(old);
    }
    return captured.toString(StandardCharsets.UTF_8);
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
  void shouldWriteOneJsonLineWithMdcAndFieldsWhenEventIsLaidOut() {
    LoggingEvent event = event("user {} failed", new IllegalStateException("boom"), "u1");
    event.addKeyValuePair(new KeyValuePair("method", "login"));
    event.addKeyValuePair(new KeyValuePair("ms", 3.25));
    event.addKeyValuePair(new KeyValuePair("apiKey", API_KEY));
    JsonLayout layout = new JsonLayout();
    String line = layout.doLayout(event);
    assertTrue(line.endsWith(System.lineSeparator()));
    assertEquals(1, line.strip().lines().count());
    JsonNode json = Json.parse(line);
    assertEquals("WARN", json.get("level").asText());
    assertEquals("user u1 failed", json.get("message").asText());
    assertEquals("auth", json.get("workerType").asText());
    assertEquals("auth-1", json.get("instanceId").asText());
    assertEquals("login", json.get("method").asText());
    assertEquals(3.25, json.get("ms").asDouble());
    assertEquals(Redact.MASK, json.get("apiKey").asText());
    assertEquals("java.lang.IllegalStateException", json.get("error").get("class").asText());
    assertTrue(json.get("error").get("frames").size() > 0);
    assertEquals("application/json", layout.getContentType());
  }

  @Test
  void shouldKeepSecretsOutWhenMessagesCarryThemInEitherFormat() {
    String session = "eyJ1c2VySWQiOiJ1MSIsInJvbGVzIjpbInVzZXIiXX0." + "s".repeat(86);
    Object[] args = {"{\"email\":\"a@b.c\",\"password\":\"hunter2hunter2\"}", API_KEY, session};
    LoggingEvent event = event("login {} with key {} session={}", new IllegalArgumentException(
        "bad password=hunter2hunter2"), args);
    JsonLayout json = new JsonLayout();
    PlainLayout plain = new PlainLayout();
    plain.setContext(context);
    plain.start();
    for (String line : List.of(json.doLayout(event), plain.doLayout(event))) {
      assertFalse(line.contains("hunter2"), line);
      assertFalse(line.contains("A".repeat(43)), line);
      assertFalse(line.contains("s".repeat(86)), line);
      assertTrue(line.contains("a@b.c"), line);
      assertTrue(line.contains("hi_0123456789abcdef_***"), line);
    }
  }

  @Test
  void shouldWriteDatedPlainLinesWithStackOnOneLineWhenPlain() {
    PlainLayout plain = new PlainLayout();
    plain.setContext(context);
    plain.start();
    String line = plain.doLayout(event("it {}", new IllegalStateException("boom"), "broke"));
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  \\[auth/auth-1] "
        + "io.hyperinfer.Test - it broke \\| java.lang.IllegalStateException: boom \\| at [^|]+( \\| at [^|]+)+\\R"),
        line);
    assertEquals(1, line.strip().lines().count());
    plain.stop();
  }

  @Test
  void shouldSwitchFormatWhenConfigSaysSo() {
    LogSetup.apply(ConfigLoader.withOverrides(Config.empty(), List.of("log.format=json", "log.level=WARN")));
    assertEquals(LogSettings.JSON, LogSetup.current().format());
    String json = stderrOf(() -> LoggerFactory.getLogger(LoggingTest.class).warn("json line {}", 1));
    assertEquals("json line 1", Json.parse(json).get("message").asText());
    String quiet = stderrOf(() -> LoggerFactory.getLogger(LoggingTest.class).info("below the level"));
    assertEquals("", quiet);

    LogSetup.apply(ConfigLoader.withOverrides(Config.empty(), List.of("log.format=plain")));
    String plain = stderrOf(() -> LoggerFactory.getLogger(LoggingTest.class).warn("plain line"));
    assertTrue(plain.matches("\\d{4}-\\d\\d-\\d\\dT.* WARN .* - plain line\\R"), plain);
    LogSetup.apply(Config.empty());
    assertEquals(LogSettings.PLAIN, LogSetup.current().format());
  }

  @Test
  void shouldRotateBySizeAndKeepOnlyMaxFilesWhenLoggingToFile() throws Exception {
    Path file = dir.resolve("logs/worker.log");
    LogSetup.apply(new LogSettings(LogSettings.PLAIN, "INFO", Optional.of(file), 2048, 3, true));
    var log = LoggerFactory.getLogger(LoggingTest.class);
    for (int i = 0; i < 200; i++) {
      log.info("line {} {}", i, "x".repeat(60));
    }
    LogSetup.apply(LogSettings.fromSystem());
    assertTrue(Files.exists(file));
    assertTrue(Files.exists(dir.resolve("logs/worker.log.1")));
    assertTrue(Files.exists(dir.resolve("logs/worker.log.2")));
    try (var files = Files.list(dir.resolve("logs"))) {
      assertEquals(3, files.count(), "the live file and maxFiles - 1 rolled ones");
    }
    for (String name : List.of("worker.log", "worker.log.1", "worker.log.2")) {
      assertTrue(Files.size(dir.resolve("logs").resolve(name)) < 2048 + 200, name);
    }
    assertTrue(Files.readString(file).contains("line 199"));
    assertFalse(PrivateFiles.isOpenToOthers(dir.resolve("logs")));
  }
}

package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.processor.ProcessorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Line-oriented HTTP streaming shared by the server-backed engines: sends a request, then hands the body to a line
 * handler as lines arrive. Maps transport failures and HTTP errors to {@link ProcessorException}; closes the body when
 * the cancel signal fires or when no line arrives within the idle timeout. Thread-safe.
 */
final class HttpStreaming {
  /** Handles one body line; returns false to stop reading (the stream is complete). */
  interface LineHandler {
    boolean line(String line);
  }

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "engine-idle-watchdog");
    t.setDaemon(true);
    return t;
  });
  private static final int MAX_ERROR_BODY = 4096;

  private final HttpClient client;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final Map<String, String> headers;

  HttpStreaming(Duration connectTimeout, Duration requestTimeout, Duration idleTimeout, Map<String, String> headers) {
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    this.requestTimeout = requestTimeout;
    this.idleTimeout = idleTimeout;
    this.headers = Map.copyOf(headers);
  }

  /** GETs {@code uri} and parses the JSON body. */
  JsonNode getJson(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
    headers.forEach(b::header);
    return readJson(uri, b.build(), new CancelSignal());
  }

  /** POSTs {@code json} and parses the JSON answer; null when {@code cancel} fired first. */
  JsonNode postJson(URI uri, JsonNode json, CancelSignal cancel) {
    return readJson(uri, post(uri, json), cancel);
  }

  private JsonNode readJson(URI uri, HttpRequest request, CancelSignal cancel) {
    StringBuilder body = new StringBuilder();
    if (stream(request, cancel, line -> {
      body.append(line).append('\n');
      return true;
    })) {
      return null;
    }
    try {
      return EngineJson.parse(body.toString());
    } catch (IllegalArgumentException e) {
      throw ProcessorException.failed("engine answered " + uri.getPath() + " with malformed JSON");
    }
  }

  private HttpRequest post(URI uri, JsonNode json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(EngineJson.toBytes(json)));
    headers.forEach(b::header);
    return b.build();
  }

  /** POSTs {@code json} to {@code uri} and streams the response body's lines. True when the cancel signal ended it. */
  boolean postStream(URI uri, JsonNode json, CancelSignal cancel, LineHandler handler) {
    return stream(post(uri, json), cancel, handler);
  }

  private boolean stream(HttpRequest request, CancelSignal cancel, LineHandler handler) {
    CompletableFuture<HttpResponse<InputStream>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    AtomicReference<InputStream> body = new AtomicReference<>();
    cancel.onCancel(() -> {
      pending.cancel(true);
      closeQuietly(body.get());
    });
    HttpResponse<InputStream> response = await(pending, cancel);
    if (response == null) {
      return true;
    }
    body.set(response.body());
    if (cancel.isCancelled()) {
      closeQuietly(response.body());
      return true;
    }
    if (response.statusCode() / 100 != 2) {
      throw httpError(response);
    }
    return readLines(response.body(), cancel, handler);
  }

  private boolean readLines(InputStream in, CancelSignal cancel, LineHandler handler) {
    AtomicBoolean idle = new AtomicBoolean();
    AtomicReference<ScheduledFuture<?>> watchdog = new AtomicReference<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      while (true) {
        arm(watchdog, idle, in);
        String line = reader.readLine();
        if (line == null) {
          if (idle.get()) {
            throw ProcessorException.timeout("engine sent nothing for " + idleTimeout.toMillis() + " ms");
          }
          return cancel.isCancelled();
        }
        if (!handler.line(line)) {
          return false;
        }
      }
    } catch (IOException e) {
      if (cancel.isCancelled()) {
        return true;
      }
      if (idle.get()) {
        throw ProcessorException.timeout("engine sent nothing for " + idleTimeout.toMillis() + " ms");
      }
      throw ProcessorException.failed("connection to the engine broke mid-stream");
    } finally {
      ScheduledFuture<?> last = watchdog.get();
      if (last != null) {
        last.cancel(false);
      }
    }
  }

  private void arm(AtomicReference<ScheduledFuture<?>> watchdog, AtomicBoolean idle, InputStream in) {
    ScheduledFuture<?> next = WATCHDOG.schedule(() -> {
      idle.set(true);
      closeQuietly(in);
    }, idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
    ScheduledFuture<?> previous = watchdog.getAndSet(next);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  private static HttpResponse<InputStream> await(CompletableFuture<HttpResponse<InputStream>> pending,
      CancelSignal cancel) {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      return null;
    } catch (java.util.concurrent.CancellationException e) {
      return null;
    } catch (ExecutionException e) {
      if (cancel.isCancelled()) {
        return null;
      }
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw ProcessorException.timeout("engine did not answer in time");
      }
      if (cause instanceof ConnectException || cause instanceof IOException) {
        throw ProcessorException.unavailable("engine is unreachable: " + cause.getClass().getSimpleName(), cause);
      }
      throw ProcessorException.unavailable("engine request failed", cause);
    }
  }

  private static ProcessorException httpError(HttpResponse<InputStream> response) {
    EngineError error;
    try (InputStream in = response.body()) {
      error = EngineError.parse(new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8));
    } catch (IOException e) {
      error = EngineError.NONE;
    }
    return error.toException(response.statusCode());
  }

  /** The error text of an Ollama ({"error":"..."}) or OpenAI ({"error":{"message":"..."}}) error body. */
  static String errorMessage(String body) {
    return EngineError.parse(body).message();
  }

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is how we interrupt the read; a failure to close changes nothing for the caller
    }
  }
}

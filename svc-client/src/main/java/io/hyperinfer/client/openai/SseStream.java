package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.InferCall;
import io.hyperinfer.client.TokenListener;
import io.hyperinfer.client.openai.http.Exchange;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.worker.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One streamed answer written as server-sent events. The network's callbacks only queue events (never block on the
 * HTTP socket); the exchange's own thread writes them. Headers wait for the first piece of the answer, so an error
 * before it (no processor, rate limit, unsupported option) is still a proper HTTP error; after it, an error is an
 * {@code error} event, as OpenAI sends it. More than {@value #MAX_QUEUED} unwritten pieces (a reader that stopped
 * reading) cancel the generation, and so does a write that fails: the server closes a connection whose write blocks
 * past its write timeout, so a stalled reader frees its processor slot then at the latest. Confined to the exchange's
 * thread, except the listener methods (any thread).
 */
final class SseStream implements TokenListener {
  static final int MAX_QUEUED = 4096;

  private sealed interface Event {}

  private record Text(String text) implements Event {}

  private record Tool(ToolCall piece) implements Event {}

  private record Done(Answer answer) implements Event {}

  private record Failed(ClientException error) implements Event {}

  private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Responses format;
  private final boolean chat;
  private final boolean includeUsage;
  private final Set<Integer> toolCallsStarted = new HashSet<>();
  private volatile InferCall call;
  private volatile boolean overflowed;
  private boolean started;

  SseStream(Responses format, boolean chat, boolean includeUsage) {
    this.format = format;
    this.chat = chat;
    this.includeUsage = includeUsage;
  }

  @Override
  public void onToken(String text) {
    offer(new Text(text));
  }

  @Override
  public void onToolCall(ToolCall piece) {
    offer(new Tool(piece));
  }

  private void offer(Event e) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      overflowed = true;
      InferCall c = call;
      if (c != null) {
        c.cancel();
      }
      return;
    }
    queue.add(e);
  }

  /** Starts the call (given this stream as its listener) and writes its answer to {@code ex} until it ends. */
  void run(Exchange ex, Function<TokenListener, InferCall> start) throws IOException {
    InferCall c = start.apply(this);
    call = c;
    if (overflowed) {
      c.cancel(); // pieces piled up before the call was even known here
    }
    c.done().whenComplete((a, e) -> queue.add(e == null ? new Done(a) : new Failed(clientError(e))));
    OutputStream out = null;
    try {
      while (true) {
        Event event = queue.take();
        if (event instanceof Failed f) {
          if (!started) {
            throw f.error();
          }
          write(out, OpenAiError.fromClient(f.error()).toJson());
          ex.endStream();
          return;
        }
        if (out == null) {
          out = begin(ex);
        }
        switch (event) {
          case Text t -> {
            queued.decrementAndGet();
            write(out, format.textChunk(t.text()));
          }
          case Tool t -> {
            queued.decrementAndGet();
            write(out, format.toolCallChunk(t.piece(), toolCallsStarted.add(t.piece().index())));
          }
          case Done d -> {
            write(out, format.finishChunk(d.answer().finishReason()));
            if (includeUsage) {
              write(out, format.usageChunk(d.answer()));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            ex.endStream();
            return;
          }
          default -> throw new IllegalStateException("unexpected " + event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.cancel();
    } catch (IOException readerGone) {
      c.cancel();
    }
  }

  private OutputStream begin(Exchange ex) throws IOException {
    started = true;
    ex.setHeader("Cache-Control", "no-cache");
    OutputStream out = ex.stream(200, "text/event-stream");
    if (chat) {
      write(out, format.roleChunk());
    }
    return out;
  }

  private static void write(OutputStream out, JsonNode data) throws IOException {
    out.write(("data: " + Json.MAPPER.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static ClientException clientError(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause instanceof ClientException ce ? ce
        : new ClientException("ERR_INTERNAL", String.valueOf(cause.getMessage()), null);
  }
}

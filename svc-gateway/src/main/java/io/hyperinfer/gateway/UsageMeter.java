package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.Entry;
import io.hyperinfer.worker.store.RangeOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Usage per API key and per user per UTC day (requests, failed requests, prompt and completion tokens), persisted in
 * this gateway's store under {@code user/<userId>/<day>} and {@code key/<keyId>/<day>}. Each gateway meters what it
 * served; the {@code usage} method sums all gateways' shards.
 *
 * <p>{@link #record} never touches the store: it adds to a bounded pending aggregate ({@link UsageBatcher}) that one
 * writer on {@code writer} flushes in batches, one put per subject-day per batch. Reads add what is pending to what is
 * stored, so a request's usage is visible as soon as {@code record} returns. Thread-safe.
 */
public final class UsageMeter implements AutoCloseable {
  /** Totals of one subject over one or more days. */
  public record Totals(long requests, long failed, long promptTokens, long completionTokens) {
    public static final Totals ZERO = new Totals(0, 0, 0, 0);

    public Totals plus(Totals o) {
      return new Totals(requests + o.requests, failed + o.failed, promptTokens + o.promptTokens,
          completionTokens + o.completionTokens);
    }

    public long totalTokens() {
      return promptTokens + completionTokens;
    }

    public ObjectNode toJson() {
      return Json.object().put("requests", requests).put("failed", failed).put("promptTokens", promptTokens)
          .put("completionTokens", completionTokens).put("totalTokens", totalTokens());
    }

    public static Totals fromJson(JsonNode n) {
      return new Totals(n.path("requests").asLong(), n.path("failed").asLong(), n.path("promptTokens").asLong(),
          n.path("completionTokens").asLong());
    }
  }

  private final Bee bee;
  private final Clock clock;
  private final UsageBatcher pending;

  /**
   * @param writer runs the flushes (one at a time is all the meter ever submits)
   * @param capacity most subject-days pending at once
   * @param overflowWait how long {@link #record} waits for room before it drops and counts the record
   */
  public UsageMeter(Bee bee, Clock clock, Executor writer, int capacity, Duration overflowWait) {
    this.bee = bee;
    this.clock = clock;
    this.pending = new UsageBatcher(bee, writer, capacity, overflowWait);
  }

  /**
   * Records one finished request ({@code ok} false for a failure) for the key (may be null) and its user. Returns
   * without store I/O; waits at most {@code overflowWait} when the pending aggregate is full, then drops the record.
   */
  public void record(String userId, String keyId, boolean ok, long promptTokens, long completionTokens) {
    String day = today().toString();
    pending.add(userSubject(userId, day), keySubject(keyId, day), totals(ok, promptTokens, completionTokens));
  }

  /**
   * Records like {@link #record} if the pending aggregate has room now, never waiting; false (nothing recorded) when
   * it is full. The gateway calls it before the reply leaves, so the client's next {@code usage} read sees the request,
   * and falls back to {@link #record} after the reply.
   */
  public boolean tryRecord(String userId, String keyId, boolean ok, long promptTokens, long completionTokens) {
    String day = today().toString();
    return pending.tryAdd(userSubject(userId, day), keySubject(keyId, day), totals(ok, promptTokens, completionTokens));
  }

  private static Totals totals(boolean ok, long promptTokens, long completionTokens) {
    return new Totals(1, ok ? 0 : 1, promptTokens, completionTokens);
  }

  private static String userSubject(String userId, String day) {
    return "user/" + userId + "/" + day;
  }

  private static String keySubject(String keyId, String day) {
    return keyId == null ? null : "key/" + keyId + "/" + day;
  }

  /** A user's totals today, pending records included. */
  public Totals userToday(String userId) {
    return pending.read("user/" + userId + "/" + today());
  }

  /**
   * Per-day totals of {@code subject} ("user/<id>" or "key/<id>") over the last {@code days} days, newest first,
   * pending records included.
   */
  public ObjectNode history(String subject, int days) {
    LocalDate today = today();
    ObjectNode out = Json.object();
    var list = out.putArray("days");
    Totals sum = pending.readConsistently(() -> {
      Map<String, Totals> stored = new HashMap<>();
      for (Entry e : bee.range(RangeOptions.all().gte(subject + "/" + today.minusDays(days - 1L))
          .lt(subject + "/" + today + "~"))) {
        stored.put(e.keyString(), Totals.fromJson(e.valueJson()));
      }
      Totals total = Totals.ZERO;
      for (int back = 0; back < days; back++) {
        String key = subject + "/" + today.minusDays(back);
        Totals t = stored.getOrDefault(key, Totals.ZERO);
        t = t.plus(pending.pendingOf(key));
        if (!t.equals(Totals.ZERO)) {
          list.addObject().put("day", key.substring(key.lastIndexOf('/') + 1)).setAll(t.toJson());
          total = total.plus(t);
        }
      }
      return total;
    });
    out.set("total", sum.toJson());
    return out;
  }

  /** Records dropped because the pending aggregate stayed full for {@code overflowWait}. */
  public long dropped() {
    return pending.dropped();
  }

  /** Records accepted and not yet in the store. */
  public long unflushed() {
    return pending.unflushed();
  }

  /**
   * Flushes everything pending, waiting at most {@code bound}; records made afterwards are written synchronously.
   * Returns false (and logs what stayed unwritten) when the bound ran out.
   */
  public boolean close(Duration bound) {
    return pending.close(bound);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}

package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.Entry;
import io.hyperinfer.worker.store.RangeOptions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Usage per API key and per user per UTC day (requests, failed requests, prompt and completion tokens), persisted in
 * this gateway's store under {@code user/<userId>/<day>} and {@code key/<keyId>/<day>}. Each gateway meters what it
 * served; the {@code usage} method sums all gateways' shards. Thread-safe (writes are serialised).
 */
public final class UsageMeter {
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

  public UsageMeter(Bee bee, Clock clock) {
    this.bee = bee;
    this.clock = clock;
  }

  /** Records one finished request ({@code ok} false for a failure) for the key (may be null) and its user. */
  public synchronized void record(String userId, String keyId, boolean ok, long promptTokens, long completionTokens) {
    Totals add = new Totals(1, ok ? 0 : 1, promptTokens, completionTokens);
    String day = today().toString();
    add("user/" + userId + "/" + day, add);
    if (keyId != null) {
      add("key/" + keyId + "/" + day, add);
    }
  }

  /** A user's totals today. */
  public Totals userToday(String userId) {
    return read("user/" + userId + "/" + today());
  }

  /** Per-day totals of {@code subject} ("user/<id>" or "key/<id>") over the last {@code days} days, newest first. */
  public ObjectNode history(String subject, int days) {
    ObjectNode out = Json.object();
    String from = subject + "/" + today().minusDays(days - 1L);
    String to = subject + "/" + today() + "~";
    List<Entry> entries = bee.range(RangeOptions.all().gte(from).lt(to).reverse(true));
    Totals sum = Totals.ZERO;
    var list = out.putArray("days");
    for (Entry e : entries) {
      String key = e.keyString();
      Totals t = Totals.fromJson(e.valueJson());
      sum = sum.plus(t);
      list.addObject().put("day", key.substring(key.lastIndexOf('/') + 1)).setAll(t.toJson());
    }
    out.set("total", sum.toJson());
    return out;
  }

  private void add(String key, Totals add) {
    bee.putJson(key, read(key).plus(add).toJson());
  }

  private Totals read(String key) {
    return bee.getJson(key).map(Totals::fromJson).orElse(Totals.ZERO);
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}

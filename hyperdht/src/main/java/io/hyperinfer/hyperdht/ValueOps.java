package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.Commit;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.wire.MutableGetResponse;
import io.hyperinfer.hyperdht.wire.MutablePutRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The value half of the client ({@code index.js immutablePut, immutableGet, mutablePut, mutableGet}): a GET walk to
 * the closest nodes, then (for puts) a commit of the signed value to each with its token. Values read back are
 * checked: an immutable value must hash to its target, a mutable one must carry a valid signature by the key and a
 * seq at least the one asked for. Maps, commits and the state they share run on the node loop. Thread-safe otherwise.
 */
final class ValueOps {
  private final DhtNode node;

  ValueOps(DhtNode node) {
    this.node = node;
  }

  /** IMMUTABLE_GET walk to {@code hash(value)}, then IMMUTABLE_PUT to each closest node. */
  CompletableFuture<PutResult> immutablePut(byte[] value, QueryOptions options) {
    byte[] target = HyperDhtCrypto.hash(value);
    byte[] copy = value.clone();
    return put(target, Command.IMMUTABLE_GET, null, Command.IMMUTABLE_PUT, copy, options, 0, null);
  }

  /** The first value a node returns for {@code target} that hashes to it; the walk stops there. */
  CompletableFuture<Optional<ImmutableValue>> immutableGet(byte[] target, QueryOptions options) {
    CompletableFuture<Optional<ImmutableValue>> result = new CompletableFuture<>();
    QueryHolder<ImmutableValue> holder = new QueryHolder<>();
    holder.query = node.query(new QueryRequest(target, Command.IMMUTABLE_GET.id(), null), options,
        res -> res.value() == null ? null : new ImmutableValue(res.token(), res.from(), res.to(), res.value()),
        v -> {
          if (!result.isDone() && Arrays.equals(HyperDhtCrypto.hash(v.value()), target)) {
            result.complete(Optional.of(v));
            holder.destroy();
          }
        });
    holder.query.finished().whenComplete((r, e) -> {
      if (e != null) {
        result.completeExceptionally(e);
      } else {
        result.complete(Optional.empty());
      }
    });
    return result;
  }

  /** MUTABLE_GET(0) walk to {@code hash(publicKey)}, then MUTABLE_PUT of the signed value to each closest node. */
  CompletableFuture<PutResult> mutablePut(KeyPair keyPair, byte[] value, long seq, QueryOptions options) {
    byte[] publicKey = keyPair.publicKey();
    byte[] target = HyperDhtCrypto.hash(publicKey);
    byte[] signature = Signatures.signMutable(seq, value, keyPair);
    byte[] signed = Compact.encode(MutablePutRequest.CODEC,
        new MutablePutRequest(publicKey, seq, value.clone(), signature));
    return put(target, Command.MUTABLE_GET, Compact.encode(Compact.UINT, 0L), Command.MUTABLE_PUT, signed, options,
        seq, signature);
  }

  /**
   * The valid value with the highest seq (or, unless {@code latest}, the first valid one) that is at least
   * {@code seq}; when {@code refresh} accepts the best one, it is put again to each closest node.
   */
  CompletableFuture<Optional<MutableValue>> mutableGet(byte[] publicKey, long seq, boolean latest,
      Predicate<MutableValue> refresh, QueryOptions options) {
    byte[] target = HyperDhtCrypto.hash(publicKey);
    CompletableFuture<Optional<MutableValue>> result = new CompletableFuture<>();
    MutableValue[] best = {null};
    QueryHolder<MutableValue> holder = new QueryHolder<>();
    Commit commit = refresh == null ? null : (reply, query, n) -> {
      MutableValue b = best[0];
      if (b == null || !refresh.test(b)) {
        return CompletableFuture.completedFuture(null);
      }
      byte[] again = Compact.encode(MutablePutRequest.CODEC,
          new MutablePutRequest(publicKey, b.seq(), b.value(), b.signature()));
      return n.request(reply.from().address(), Command.MUTABLE_PUT.id(), target, again, reply.token(),
          RequestOptions.DEFAULT);
    };
    holder.query = node.query(
        new QueryRequest(target, Command.MUTABLE_GET.id(), Compact.encode(Compact.UINT, seq)),
        options.withCommit(commit), ValueOps::mapMutable, v -> {
          if (result.isDone() || (best[0] != null && v.seq() <= best[0].seq()) || v.seq() < seq
              || !Signatures.verifyMutable(v.signature(), v.seq(), v.value(), publicKey)) {
            return;
          }
          best[0] = v;
          if (!latest) {
            result.complete(Optional.of(v));
            holder.destroy();
          }
        });
    holder.query.finished().whenComplete((r, e) -> {
      if (e != null && !result.isDone()) {
        result.completeExceptionally(e);
      } else {
        result.complete(Optional.ofNullable(best[0]));
      }
    });
    return result;
  }

  /** A GET walk, then a commit of {@code putValue} to every closest node, counting what each answered. */
  private CompletableFuture<PutResult> put(byte[] target, Command get, byte[] getValue, Command putCommand,
      byte[] putValue, QueryOptions options, long seq, byte[] signature) {
    int[] stored = {0};
    Map<Peer, Long> refusals = new HashMap<>();
    Commit commit = (reply, query, n) -> n.request(reply.from().address(), putCommand.id(), target, putValue,
        reply.token(), RequestOptions.DEFAULT).thenApply(res -> {
          if (res.error() == Response.OK) {
            stored[0]++;
          } else {
            refusals.put(reply.from(), res.error());
          }
          return res;
        });
    Query<Response> query = node.query(new QueryRequest(target, get.id(), getValue), options.withCommit(commit));
    return query.finished().thenCompose(done -> settle(done, target, seq, signature, stored[0], refusals));
  }

  private static CompletableFuture<PutResult> settle(QueryResult<Response> done, byte[] target, long seq,
      byte[] signature, int stored, Map<Peer, Long> refusals) {
    if (stored == 0 && !refusals.isEmpty()) {
      boolean reused = refusals.containsValue(PeerError.SEQ_REUSED);
      boolean tooLow = refusals.containsValue(PeerError.SEQ_TOO_LOW);
      if (reused || tooLow) {
        return CompletableFuture.failedFuture(reused ? HyperDhtException.seqReused() : HyperDhtException.seqTooLow());
      }
    }
    return CompletableFuture.completedFuture(
        new PutResult(target, seq, signature, done.closestNodes(), stored, refusals));
  }

  static MutableValue mapMutable(Response res) {
    MutableGetResponse m = res.value() == null ? null : Router.decodeOrNull(MutableGetResponse.CODEC, res.value());
    return m == null ? null : new MutableValue(res.token(), res.from(), res.to(), m.seq(), m.value(), m.signature());
  }

  /** The query a stream callback may stop once it has what it wanted. */
  private static final class QueryHolder<T> {
    Query<T> query;

    void destroy() {
      if (query != null) {
        query.destroy();
      }
    }
  }
}

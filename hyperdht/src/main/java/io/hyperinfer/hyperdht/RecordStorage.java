package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.cache.GenerationCache;
import io.hyperinfer.hyperdht.cache.RecordCache;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.LookupReply;
import io.hyperinfer.hyperdht.wire.MutableGetResponse;
import io.hyperinfer.hyperdht.wire.MutablePutRequest;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.hyperdht.wire.PluginRequest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The record-holding role of a persistent node ({@code lib/persistent.js}): announce records per topic, the routes of
 * self-announced servers (in the {@link Router}), refresh chains, bumps, and mutable and immutable values, each in a
 * bounded two-generation table with JS's lifetimes. Each handler takes the request as received and returns what to
 * answer; requests JS ignores (no target, no token, bad signature, a key that does not hash to the target...) become
 * counted {@link Outcome.Drop}s. The caller has checked the token: a token that reaches a handler is valid (see
 * {@link HyperDhtRequests}).
 *
 * <p>Not thread-safe: confined to the DHT node loop.
 */
public final class RecordStorage {
  /** Records returned per LOOKUP at most. */
  public static final int LOOKUP_LIMIT = 20;
  /** Relay addresses kept per stored record. */
  public static final int MAX_RELAY_ADDRESSES = 3;
  /** How far ahead of this node's clock a bump may be. */
  public static final Duration MAX_BUMP_DRIFT = Duration.ofSeconds(60);

  private final Router router;
  private final InstantSource wallClock;
  private final DropCounter drops;
  private final RecordCache<Bytes32, Bytes32, Peer> records;
  private final GenerationCache<Bytes32, Long> bumps;
  private final GenerationCache<Bytes32, Refresh> refreshes;
  private final GenerationCache<Bytes32, MutableGetResponse> mutables;
  private final GenerationCache<Bytes32, byte[]> immutables;
  private final Map<String, Long> plugins = new HashMap<>();

  /** A refresh chain's current link points here: what to store again when the next link arrives. */
  private record Refresh(Bytes32 target, Peer record, boolean announceSelf) {}

  /**
   * Empty tables on one clock for expiry and bumps.
   *
   * @param router the node's router, which holds the routes of self-announced servers
   * @param options sizes and lifetimes
   * @param clock the time source of expiry and bumps
   * @param random the source of LOOKUP's random subsets
   * @param drops where silent drops are counted
   */
  public RecordStorage(Router router, CacheOptions options, InstantSource clock, RandomGenerator random,
      DropCounter drops) {
    this(router, options, clock, clock, random, drops);
  }

  /**
   * Empty tables.
   *
   * @param router the node's router, which holds the routes of self-announced servers
   * @param options sizes and lifetimes
   * @param clock the time source of expiry (the node loop's monotonic clock)
   * @param wallClock the time source bumps are checked against: wall-clock time, since clients send
   *     {@code Date.now()}-style bumps
   * @param random the source of LOOKUP's random subsets
   * @param drops where silent drops are counted
   */
  public RecordStorage(Router router, CacheOptions options, InstantSource clock, InstantSource wallClock,
      RandomGenerator random, DropCounter drops) {
    this.router = router;
    this.wallClock = wallClock;
    this.drops = drops;
    this.records = new RecordCache<>(options.maxSize(), options.maxAge(), clock, random);
    this.bumps = new GenerationCache<>(options.maxSize(), options.maxAge(), clock);
    this.refreshes = new GenerationCache<>(options.maxSize(), options.maxAge(), clock);
    this.mutables = new GenerationCache<>(options.valueMaxSize(), options.valueMaxAge(), clock);
    this.immutables = new GenerationCache<>(options.valueMaxSize(), options.valueMaxAge(), clock);
  }

  /** Serves PLUGIN requests for {@code name} at exactly {@code version} ({@code dht.register}). */
  public void registerPlugin(String name, long version) {
    plugins.put(name, version);
  }

  /** FIND_PEER: the route's record, or no value; with token and closer nodes. */
  public Outcome onFindPeer(ReceivedRequest req) {
    if (req.target() == null) {
      return drops.drop(DropReason.MISSING_TARGET);
    }
    Optional<Route> route = router.get(req.targetKey());
    return Outcome.Reply.standard(route.map(r -> Compact.encode(Peer.CODEC, r.record())).orElse(null));
  }

  /** LOOKUP: up to 20 random records, the route's record if there is room, and the topic's bump. */
  public Outcome onLookup(ReceivedRequest req) {
    if (req.target() == null) {
      return drops.drop(DropReason.MISSING_TARGET);
    }
    Bytes32 target = req.targetKey();
    List<Peer> peers = new ArrayList<>(records.get(target, LOOKUP_LIMIT));
    long bump = bumps.get(target).orElse(0L);
    Optional<Route> route = router.get(target);
    if (route.isPresent() && peers.size() < LOOKUP_LIMIT) {
      peers.add(route.get().record());
    }
    return Outcome.Reply.standard(
        peers.isEmpty() ? null : Compact.encode(LookupReply.CODEC, new LookupReply(peers, bump)));
  }

  /** ANNOUNCE, signed for this node ({@code ownId}) and the request's token; or a refresh of an earlier one. */
  public Outcome onAnnounce(ReceivedRequest req, byte[] ownId) {
    Decoded<Announce> decoded = decodeWrite(req, Announce.CODEC);
    if (decoded.drop() != null) {
      return decoded.drop();
    }
    Announce ann = decoded.value();
    if (ann.peer() == null) {
      return ann.refresh() == null ? drops.drop(DropReason.MISSING_SIGNATURE) : onRefresh(ann.refresh(), req);
    }
    if (ann.signature() == null) {
      return drops.drop(DropReason.MISSING_SIGNATURE);
    }
    if (!Signatures.verifyAnnounce(req.target(), req.token(), ownId, ann, false)) {
      return drops.drop(DropReason.BAD_SIGNATURE);
    }
    Peer record = ann.peer().withRelayLimit(MAX_RELAY_ADDRESSES);
    Bytes32 target = req.targetKey();
    Bytes32 publicKey = Bytes32.of(record.publicKey());
    boolean announceSelf = isSelf(target, record.publicKey());
    if (announceSelf) {
      router.forward(target, req.from(), record);
      records.remove(target, publicKey);
    } else {
      long current = bumps.get(target).orElse(0L);
      if (ann.bump() > current && ann.bump() <= wallClock.millis() + MAX_BUMP_DRIFT.toMillis()) {
        bumps.set(target, ann.bump());
      }
      records.add(target, publicKey, record);
    }
    if (ann.refresh() != null) {
      refreshes.set(Bytes32.of(ann.refresh()), new Refresh(target, record, announceSelf));
    }
    return Outcome.Reply.bare();
  }

  /** UNANNOUNCE, signed for this node and the request's token: forget the peer's record (and route). */
  public Outcome onUnannounce(ReceivedRequest req, byte[] ownId) {
    Decoded<Announce> decoded = decodeWrite(req, Announce.CODEC);
    if (decoded.drop() != null) {
      return decoded.drop();
    }
    Announce ann = decoded.value();
    if (ann.peer() == null || ann.signature() == null) {
      return drops.drop(DropReason.MISSING_SIGNATURE);
    }
    if (!Signatures.verifyAnnounce(req.target(), req.token(), ownId, ann, true)) {
      return drops.drop(DropReason.BAD_SIGNATURE);
    }
    unannounce(req.targetKey(), ann.peer().publicKey());
    return Outcome.Reply.bare();
  }

  /** Forgets {@code publicKey}'s record under {@code target}, and the route when the key is the target's server. */
  public void unannounce(Bytes32 target, byte[] publicKey) {
    if (isSelf(target, publicKey)) {
      router.delete(target);
    }
    records.remove(target, Bytes32.of(publicKey));
  }

  /** MUTABLE_PUT: store a signed value unless a different value holds the same seq or a higher seq is stored. */
  public Outcome onMutablePut(ReceivedRequest req) {
    Decoded<MutablePutRequest> decoded = decodeWrite(req, MutablePutRequest.CODEC);
    if (decoded.drop() != null) {
      return decoded.drop();
    }
    MutablePutRequest put = decoded.value();
    Bytes32 target = req.targetKey();
    if (!isSelf(target, put.publicKey())) {
      return drops.drop(DropReason.TARGET_MISMATCH);
    }
    if (!Signatures.verifyMutable(put.signature(), put.seq(), put.value(), put.publicKey())) {
      return drops.drop(DropReason.BAD_SIGNATURE);
    }
    Optional<MutableGetResponse> local = mutables.get(target);
    if (local.isPresent()) {
      MutableGetResponse existing = local.get();
      if (existing.seq() == put.seq() && !Arrays.equals(existing.value(), put.value())) {
        return new Outcome.ErrorReply(PeerError.SEQ_REUSED, false, true);
      }
      if (put.seq() < existing.seq()) {
        return new Outcome.ErrorReply(PeerError.SEQ_TOO_LOW, false, true);
      }
    }
    mutables.set(target, put.stored());
    return Outcome.Reply.standard(null);
  }

  /** MUTABLE_GET: the stored record when its seq is at least the requested one. */
  public Outcome onMutableGet(ReceivedRequest req) {
    if (req.target() == null) {
      return drops.drop(DropReason.MISSING_TARGET);
    }
    if (req.value() == null) {
      return drops.drop(DropReason.MISSING_VALUE);
    }
    Long seq = Router.decodeOrNull(Compact.UINT, req.value());
    if (seq == null) {
      return drops.drop(DropReason.MALFORMED_VALUE);
    }
    Optional<MutableGetResponse> local = mutables.get(req.targetKey());
    return Outcome.Reply.standard(local.filter(r -> r.seq() >= seq)
        .map(r -> Compact.encode(MutableGetResponse.CODEC, r)).orElse(null));
  }

  /** IMMUTABLE_PUT: store a value under its own hash. */
  public Outcome onImmutablePut(ReceivedRequest req) {
    Outcome.Drop missing = requireWrite(req);
    if (missing != null) {
      return missing;
    }
    Bytes32 target = req.targetKey();
    if (!target.equalsBytes(HyperDhtCrypto.hash(req.value()))) {
      return drops.drop(DropReason.TARGET_MISMATCH);
    }
    immutables.set(target, req.value().clone());
    return Outcome.Reply.standard(null);
  }

  /** IMMUTABLE_GET: the stored value, or no value. */
  public Outcome onImmutableGet(ReceivedRequest req) {
    if (req.target() == null) {
      return drops.drop(DropReason.MISSING_TARGET);
    }
    return Outcome.Reply.standard(immutables.get(req.targetKey()).orElse(null));
  }

  /** PLUGIN: hand the request to the plugin it names, if registered at that version. */
  public Decision onPlugin(ReceivedRequest req) {
    if (req.value() == null) {
      return drops.drop(DropReason.MISSING_VALUE);
    }
    PluginRequest plugin = Router.decodeOrNull(PluginRequest.CODEC, req.value());
    if (plugin == null) {
      return drops.drop(DropReason.MALFORMED_VALUE);
    }
    Long version = plugins.get(plugin.plugin());
    if (version == null || version != plugin.version()) {
      return drops.drop(DropReason.NO_PLUGIN);
    }
    return new Decision.ToPlugin(plugin);
  }

  /** Records held across topics. */
  public int recordCount() {
    return records.size();
  }

  private Outcome onRefresh(byte[] token, ReceivedRequest req) {
    Bytes32 previous = Bytes32.of(HyperDhtCrypto.hash(token));
    Optional<Refresh> found = refreshes.get(previous);
    if (found.isEmpty()) {
      return drops.drop(DropReason.UNKNOWN_REFRESH);
    }
    Refresh r = found.get();
    if (r.announceSelf()) {
      router.forward(r.target(), req.from(), r.record());
      records.remove(r.target(), Bytes32.of(r.record().publicKey()));
    } else {
      records.add(r.target(), Bytes32.of(r.record().publicKey()), r.record());
    }
    refreshes.delete(previous);
    refreshes.set(Bytes32.of(token), r);
    return Outcome.Reply.bare();
  }

  /** The drop for a write without a target, token or value; null when all are there. */
  private Outcome.Drop requireWrite(ReceivedRequest req) {
    if (req.target() == null) {
      return drops.drop(DropReason.MISSING_TARGET);
    }
    if (req.token() == null) {
      return drops.drop(DropReason.MISSING_TOKEN);
    }
    return req.value() == null ? drops.drop(DropReason.MISSING_VALUE) : null;
  }

  /** A write's value decoded after checking its target, token and value. */
  private <T> Decoded<T> decodeWrite(ReceivedRequest req, Codec<T> codec) {
    Outcome.Drop missing = requireWrite(req);
    return missing != null ? Decoded.dropped(missing) : Decoded.of(req.value(), codec, drops);
  }

  private static boolean isSelf(Bytes32 target, byte[] publicKey) {
    return target.equalsBytes(HyperDhtCrypto.hash(publicKey));
  }
}

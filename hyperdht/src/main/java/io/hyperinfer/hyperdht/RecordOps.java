package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.Commit;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.LookupReply;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The record half of the client ({@code index.js findPeer, lookup, announce, lookupAndUnannounce, unannounce,
 * _requestAnnounce, _requestUnannounce}): iterative queries whose commits sign one announce per storing node, with
 * that node's id and the token it handed out. Maps and commits run on the node loop; the lists they share are
 * confined to it. Thread-safe otherwise.
 */
final class RecordOps {
  private final DhtNode node;
  private final RequestService service;

  RecordOps(DhtNode node, RequestService service) {
    this.node = node;
    this.service = service;
  }

  Query<FindPeerResult> findPeer(byte[] target, QueryOptions options) {
    return node.query(new QueryRequest(target, Command.FIND_PEER.id(), null), options, RecordOps::mapFindPeer, null);
  }

  Query<LookupResult> lookup(byte[] target, QueryOptions options) {
    return node.query(new QueryRequest(target, Command.LOOKUP.id(), null), options, RecordOps::mapLookup, null);
  }

  /** LOOKUP (after unannouncing when {@code clear}), then an ANNOUNCE to each of the closest nodes. */
  Query<LookupResult> announce(byte[] target, KeyPair keyPair, List<HostPort> relayAddresses, long bump,
      boolean clear, QueryOptions options) {
    Peer record = new Peer(keyPair.publicKey(), List.copyOf(relayAddresses));
    Commit commit = (reply, query, n) -> requestAnnounce(keyPair, target, reply, record, bump);
    QueryOptions withCommit = options.withCommit(commit);
    return clear ? lookupAndUnannounce(target, keyPair, withCommit) : lookup(target, withCommit);
  }

  /**
   * LOOKUP that sends an UNANNOUNCE to every node listing our key (or holding a full page of records), then runs
   * {@code options.commit()} (if any) once those are settled. A persistent node first forgets its own copy.
   */
  Query<LookupResult> lookupAndUnannounce(byte[] target, KeyPair keyPair, QueryOptions options) {
    byte[] publicKey = keyPair.publicKey();
    node.execute(() -> service.storage().ifPresent(s -> s.unannounce(Bytes32.of(target), publicKey)));
    List<CompletableFuture<?>> unannounces = new ArrayList<>();
    Commit user = options.commit();
    Commit commit = (reply, query, n) -> CompletableFuture.allOf(unannounces.toArray(CompletableFuture[]::new))
        .thenCompose(done -> user == null ? CompletableFuture.completedFuture(null)
            : user.commit(reply, query, n).toCompletableFuture());
    Function<Response, LookupResult> map = res -> {
      LookupResult data = mapLookup(res);
      if (data != null && data.token() != null && data.from().id() != null && lists(data, publicKey)) {
        unannounces.add(requestUnannounce(keyPair, target, res).handle((r, e) -> null));
      }
      return data;
    };
    return node.query(new QueryRequest(target, Command.LOOKUP.id(), null), options.withCommit(commit), map, null);
  }

  /** Whether a node's page of records may hold ours: it lists our key, or it is full (more may sit behind it). */
  private static boolean lists(LookupResult data, byte[] publicKey) {
    if (data.peers().size() >= RecordStorage.LOOKUP_LIMIT) {
      return true;
    }
    return data.peers().stream().anyMatch(p -> Arrays.equals(p.publicKey(), publicKey));
  }

  private CompletableFuture<Response> requestAnnounce(KeyPair keyPair, byte[] target, Response reply, Peer record,
      long bump) {
    if (reply.token() == null || reply.from().id() == null) {
      return CompletableFuture.failedFuture(DhtException.noToken());
    }
    Announce unsigned = new Announce(record, null, null, bump);
    byte[] signature = Signatures.signAnnounce(target, reply.token(), reply.from().id(), unsigned, keyPair);
    return send(Command.ANNOUNCE, target, reply, new Announce(record, null, signature, bump));
  }

  private CompletableFuture<Response> requestUnannounce(KeyPair keyPair, byte[] target, Response reply) {
    Announce unsigned = new Announce(new Peer(keyPair.publicKey(), List.of()), null, null, 0);
    byte[] signature = Signatures.signUnannounce(target, reply.token(), reply.from().id(), unsigned, keyPair);
    return send(Command.UNANNOUNCE, target, reply, new Announce(unsigned.peer(), null, signature, 0));
  }

  private CompletableFuture<Response> send(Command command, byte[] target, Response reply, Announce announce) {
    return node.request(reply.from().address(), command.id(), target, Compact.encode(Announce.CODEC, announce),
        reply.token(), RequestOptions.DEFAULT);
  }

  static FindPeerResult mapFindPeer(Response res) {
    Peer peer = res.value() == null ? null : Router.decodeOrNull(Peer.CODEC, res.value());
    return peer == null ? null : new FindPeerResult(res.token(), res.from(), res.to(), peer);
  }

  static LookupResult mapLookup(Response res) {
    LookupReply l = res.value() == null ? null : Router.decodeOrNull(LookupReply.CODEC, res.value());
    return l == null ? null : new LookupResult(res.token(), res.from(), res.to(), l.peers(), l.bump());
  }
}

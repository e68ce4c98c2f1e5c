package io.hyperinfer.hyperdht;

/**
 * Which role answers a HyperDHT request ({@code index.js onrequest}, plus dht-rpc's token check that runs before it):
 * PEER_HANDSHAKE and PEER_HOLEPUNCH go to the {@link Router} on every node; the record commands go to the
 * {@link RecordStorage} only on a persistent node with an id, and are {@link Outcome.Unhandled} elsewhere. Thread-safe
 * (stateless); the roles it calls are confined to the node loop.
 */
public final class HyperDhtRequests {
  /** dht-rpc's error number for a token this node did not hand out ({@code dht-rpc/lib/errors.js}). */
  public static final long INVALID_TOKEN = 2;

  private HyperDhtRequests() {}

  /**
   * Decides what to do with {@code req}.
   *
   * @param router this node's router
   * @param storage this node's records, or null while the node is not persistent
   * @param ownId this node's id, or null while it has none
   */
  public static Decision dispatch(ReceivedRequest req, Router router, RecordStorage storage, byte[] ownId) {
    if (req.token() != null && !req.tokenValid()) {
      // dht-rpc io.js answers a stale or foreign token itself, with a fresh token, before any handler runs.
      return new Outcome.ErrorReply(INVALID_TOKEN, true, true);
    }
    Command command = Command.of(req.command()).orElse(null);
    if (command == Command.PEER_HANDSHAKE) {
      return router.onPeerHandshake(req);
    }
    if (command == Command.PEER_HOLEPUNCH) {
      return router.onPeerHolepunch(req);
    }
    if (command == null || storage == null || ownId == null) {
      return new Outcome.Unhandled();
    }
    return switch (command) {
      case FIND_PEER -> storage.onFindPeer(req);
      case LOOKUP -> storage.onLookup(req);
      case ANNOUNCE -> storage.onAnnounce(req, ownId);
      case UNANNOUNCE -> storage.onUnannounce(req, ownId);
      case MUTABLE_PUT -> storage.onMutablePut(req);
      case MUTABLE_GET -> storage.onMutableGet(req);
      case IMMUTABLE_PUT -> storage.onImmutablePut(req);
      case IMMUTABLE_GET -> storage.onImmutableGet(req);
      case PLUGIN -> storage.onPlugin(req);
      case PEER_HANDSHAKE, PEER_HOLEPUNCH -> throw new IllegalStateException("routed above");
    };
  }
}

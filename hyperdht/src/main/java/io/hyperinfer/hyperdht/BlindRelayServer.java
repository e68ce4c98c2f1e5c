package io.hyperinfer.hyperdht;

import io.hyperinfer.hyperdht.wire.RelayPair;
import io.hyperinfer.hyperdht.wire.RelayUnpair;
import io.hyperinfer.protomux.Channel;
import io.hyperinfer.protomux.ChannelListener;
import io.hyperinfer.protomux.Message;
import io.hyperinfer.udx.UdxStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A blind relay ({@code blind-relay} 1.6.1 {@code Server}, as a HyperDHT server runs it for peers that cannot reach
 * each other): each connection it {@link #onConnection accepts} carries one {@code blind-relay} protomux channel;
 * two peers that send a pair request with the same token get one UDX stream each on this node, and every packet that
 * arrives on one is forwarded, unread and unchanged but for the stream id, to the other's peer ({@code relayTo}). The
 * peers' secret stream runs end to end through it, so the relay sees ciphertext only.
 *
 * <p>Use it as a server's handler: {@code dht.createServer(options, relay).listen(keyPair)}; peers name it with
 * {@link RelayThrough#of}(its public key). Bounded: at most {@link #MAX_PENDING} pairings wait for their second peer
 * ({@link #MAX_PENDING_PER_SESSION} per connection) and a connection holds at most {@link #MAX_LINKS_PER_SESSION}
 * links; requests beyond are dropped and counted. A link's stream only accepts its first packet from the address its
 * connection comes from (JS takes the first packet from anywhere). Thread-safe: pairing state is under this object's
 * lock, replies are sent outside it.
 */
public final class BlindRelayServer implements ConnectionHandler, AutoCloseable {
  /** The protomux protocol name. */
  public static final String PROTOCOL = "blind-relay";
  public static final int MAX_PENDING = 4096;
  public static final int MAX_PENDING_PER_SESSION = 64;
  public static final int MAX_LINKS_PER_SESSION = 256;

  /** Counters (JS {@code server.stats}, plus {@code refused}). */
  public record Stats(long sessionsAccepted, long sessionsClosed, long pairingsRequested, long pairingsMatched,
      long pairingsCancelled, long pairingsRefused, int pairingsPending, long streamsOpened, long streamsClosed) {}

  private final Connections ctx;
  private final Map<String, Link[]> pairing = new HashMap<>();
  private final Set<Session> sessions = new HashSet<>();
  private long accepted;
  private long sessionsClosed;
  private long requested;
  private long matched;
  private long cancelled;
  private long refused;
  private long streamsOpened;
  private long streamsClosed;
  private boolean closed;

  /** A relay whose link streams live on {@code dht}'s UDX sockets (the node its server listens on). */
  public BlindRelayServer(HyperDht dht) {
    this.ctx = dht.udxConnections();
  }

  /** Starts the connection's stream with a relay session on it (never blocks). */
  @Override
  public void onConnection(HyperDhtConnection connection) {
    MuxStream mux = new MuxStream();
    Session session = new Session(connection, mux);
    synchronized (this) {
      if (closed) {
        connection.destroy();
        return;
      }
      sessions.add(session);
      accepted++;
    }
    // The channel before the stream: a client's open that found no channel here would be rejected at once.
    session.open(connection.remotePublicKey());
    mux.attach(connection.start(mux));
  }

  @Override
  public boolean mayBlock() {
    return false;
  }

  public synchronized Stats stats() {
    return new Stats(accepted, sessionsClosed, requested, matched, cancelled, refused, pairing.size(), streamsOpened,
        streamsClosed);
  }

  /** Ends every session and the links they hold. */
  @Override
  public void close() {
    List<Session> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(sessions);
    }
    for (Session s : all) {
      s.mux.destroy("the relay server closed");
      s.onClosed();
    }
  }

  /** One end of a link: the session that asked, its side, its peer's stream id, and the stream made for it. */
  private static final class Link {
    final Session session;
    final boolean initiator;
    final int remoteId;
    UdxStream stream;
    Link other;

    Link(Session session, boolean initiator, int remoteId) {
      this.session = session;
      this.initiator = initiator;
      this.remoteId = remoteId;
    }
  }

  /** One peer's control connection and its channel. */
  private final class Session {
    final HyperDhtConnection connection;
    final MuxStream mux;
    final Set<String> waiting = new HashSet<>();
    final Map<String, Link> links = new HashMap<>();
    Message<RelayPair> pair;
    boolean ended;

    Session(HyperDhtConnection connection, MuxStream mux) {
      this.connection = connection;
      this.mux = mux;
    }

    void open(byte[] id) {
      Channel ch = mux.mux().createChannel(PROTOCOL, id, new ChannelListener() {
        @Override
        public void onClose(Channel c, boolean byRemote) {
          onClosed();
          mux.end("the blind-relay channel closed");
        }
      });
      if (ch == null) {
        mux.destroy("the connection already has a blind-relay channel or is closed");
        onClosed();
        return;
      }
      pair = ch.addMessage(RelayPair.CODEC, (m, c) -> onPair(this, m));
      ch.addMessage(RelayUnpair.CODEC, (m, c) -> onUnpair(this, m));
      ch.open(null);
      mux.closed().whenComplete((v, e) -> onClosed());
    }

    void onClosed() {
      List<Link> drop;
      synchronized (BlindRelayServer.this) {
        if (ended) {
          return;
        }
        ended = true;
        sessions.remove(this);
        sessionsClosed++;
        for (String key : waiting) {
          if (pairing.remove(key) != null) {
            cancelled++;
          }
        }
        waiting.clear();
        drop = new ArrayList<>(links.values());
        links.clear();
      }
      for (Link l : drop) {
        l.stream.destroy(); // its own ends only, as JS does: the other session's end goes with that session
      }
    }
  }

  private void onPair(Session session, RelayPair m) {
    String key = HexFormat.of().formatHex(m.token());
    Link[] pair;
    synchronized (this) {
      if (session.ended) {
        return;
      }
      pair = pairing.get(key);
      int side = m.initiator() ? 1 : 0;
      if (pair == null) {
        if (pairing.size() >= MAX_PENDING || session.waiting.size() >= MAX_PENDING_PER_SESSION
            || session.links.size() >= MAX_LINKS_PER_SESSION) {
          refused++;
          return;
        }
        pair = new Link[2];
        pairing.put(key, pair);
      } else if (pair[side] != null) {
        return; // this end asked already
      }
      session.waiting.add(key);
      requested++;
      pair[side] = new Link(session, m.initiator(), (int) m.id());
      if (pair[1 - side] == null) {
        return;
      }
      pairing.remove(key);
      matched++;
      for (Link l : pair) {
        l.session.waiting.remove(key);
        l.session.links.put(key, l);
        streamsOpened++;
      }
    }
    link(key, pair[0], pair[1]);
    for (Link l : pair) {
      // outside every lock but this session's mux: the other session's reply takes its own mux lock
      Thread.ofVirtual().name("blind-relay-reply").start(() -> l.session.pair.send(
          new RelayPair(l.initiator, m.token(), Integer.toUnsignedLong(l.stream.id()), 0)));
    }
  }

  /** A stream per end, each forwarding to the other's peer; each connects to its peer on its first packet. */
  private void link(String key, Link a, Link b) {
    a.other = b;
    b.other = a;
    for (Link l : new Link[] {a, b}) {
      InetAddress expected = InetAddress.ofLiteral(l.session.connection.remoteAddress().host());
      l.stream = ctx.rawStreams.create((stream, socket, from) -> {
        if (stream.connected() || !from.getAddress().equals(expected)) {
          return false;
        }
        stream.connect(socket, l.remoteId, from);
        return true;
      });
    }
    a.stream.relayTo(b.stream);
    b.stream.relayTo(a.stream);
    for (Link l : new Link[] {a, b}) {
      l.stream.closed().whenComplete((v, e) -> onLinkClosed(key, l));
    }
  }

  private void onLinkClosed(String key, Link l) {
    synchronized (this) {
      streamsClosed++;
      if (l.session.links.get(key) == l) {
        l.session.links.remove(key);
      }
    }
  }

  private void onUnpair(Session session, RelayUnpair m) {
    String key = HexFormat.of().formatHex(m.token());
    Link made;
    synchronized (this) {
      Link[] pair = pairing.get(key);
      if (pair != null) {
        if (!session.waiting.contains(key)) {
          return; // only a session that asked may cancel a waiting pairing
        }
        pairing.remove(key);
        for (Link l : pair) {
          if (l != null) {
            l.session.waiting.remove(key);
          }
        }
        cancelled++;
        return;
      }
      made = session.links.get(key);
      if (made == null) {
        return;
      }
      cancelled++;
    }
    destroyPair(made);
  }

  private static void destroyPair(Link l) {
    if (l.stream != null) {
      l.stream.destroy();
    }
    if (l.other != null && l.other.stream != null) {
      l.other.stream.destroy();
    }
  }
}

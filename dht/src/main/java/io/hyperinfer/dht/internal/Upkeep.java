package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.Commands;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.NodeListener;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.Response;
import java.util.List;

/**
 * Routing-table upkeep on a 5 s tick (dht-rpc {@code index.js _ontick, _pingSome, _check, _onfullrow,
 * _repingAndSwap, _onwakeup}): ping sweeps of the least recently seen nodes, ping-and-swap on full rows, refresh
 * walks, the adaptive stability countdown, health, and the wake-up after a tick gap. Confined to the loop thread.
 */
final class Upkeep {
  static final long TICK_INTERVAL_MS = 5000;
  static final long SLEEPING_INTERVAL_MS = 3 * TICK_INTERVAL_MS;
  static final int STABLE_TICKS = 240;
  static final int MORE_STABLE_TICKS = 3 * STABLE_TICKS;
  static final int REFRESH_TICKS = 60;
  static final int RECENT_NODE = 12;
  static final int OLD_NODE = 360;
  static final int MAX_REPINGS = 3;

  private final NodeCore node;
  long tick;
  int refreshTicks;
  int stableTicks;
  int repinging;
  int checks;
  private long lastTickWall;

  Upkeep(NodeCore node) {
    this.node = node;
  }

  void start() {
    tick = randomOffset(100);
    refreshTicks = randomOffset(REFRESH_TICKS);
    stableTicks = node.adaptive ? STABLE_TICKS : 0;
    lastTickWall = node.runtime.wallMs();
    node.schedule(TICK_INTERVAL_MS, this::onTick);
  }

  /** n minus up to half of n, so the nodes of a network do not tick in step. */
  private int randomOffset(int n) {
    return n - (int) (node.runtime.random().nextDouble() * 0.5 * n);
  }

  private void onTick() {
    node.schedule(TICK_INTERVAL_MS, this::onTick);
    long now = node.runtime.wallMs();
    if (now - lastTickWall > SLEEPING_INTERVAL_MS) {
      onWakeup();
    } else {
      tick++;
    }
    lastTickWall = now;
    if (!node.bootstrapped) {
      return;
    }
    if (node.adaptive && node.ephemeral && --stableTicks <= 0) {
      if (java.util.Objects.equals(node.network.lastHost, node.nat.host())) {
        stableTicks = MORE_STABLE_TICKS; // do not re-check the same network
      } else {
        node.network.updateNetworkState(false);
      }
    }
    if ((tick & 7) == 0) {
      pingSome();
    }
    if (((tick & 63) == 0 && node.nodes.length < RoutingTable.K) || --refreshTicks <= 0) {
      refresh();
    }
    node.downHintsSentPerTick = 0;
    NetworkHealth.State state = node.health.update(node.io.responses, node.io.timeouts);
    if (state != null) {
      node.setNetworkState(state != NetworkHealth.State.OFFLINE, state == NetworkHealth.State.DEGRADED);
    }
  }

  void onWakeup() {
    tick += 2 * OLD_NODE; // everything now looks old
    tick += 8 - (tick & 7) - 2; // a ping sweep two ticks from now
    stableTicks = MORE_STABLE_TICKS;
    refreshTicks = 1;
    node.network.lastHost = null;
    node.health.reset();
    node.setNetworkState(true, false);
    if (node.adaptive && !node.ephemeral) {
      node.ephemeral = true;
      node.io.ephemeral = true;
      node.emit(NodeListener::onEphemeral);
    }
    node.emit(NodeListener::onWakeup);
  }

  void refresh() {
    TableNode n = node.table.random(node.runtime.random());
    node.backgroundQuery(n != null ? n.id : node.table.id).start();
  }

  /** Checks up to five of the least recently seen nodes (two if the oldest was pinged within a minute). */
  private void pingSome() {
    int count = node.io.inflight() > 2 ? 3 : 5;
    TableNode oldest = node.nodes.oldest;
    if (oldest == null) {
      refresh();
      return;
    }
    if (tick - oldest.pinged < RECENT_NODE) {
      count = 2;
    }
    while (count-- > 0) {
      // as JS: a node pinged this tick uses up a turn without moving on
      if (oldest == null || tick == oldest.pinged) {
        continue;
      }
      check(oldest);
      oldest = oldest.next;
    }
  }

  /** Pings {@code n}; no answer, or an answer that did not refresh it, removes it. */
  void check(TableNode n) {
    n.pinged = tick;
    long lastSeen = n.seen;
    checks++;
    OutgoingRequest req = node.request(new Peer(n.host, n.port, null), false, true, Commands.PING, null, null, null,
        new OutgoingRequest.Callbacks() {
          @Override
          public void onResponse(Response response, OutgoingRequest request) {
            checks--;
            if (n.seen <= lastSeen) {
              node.removeNode(n);
            }
          }

          @Override
          public void onError(DhtException error, OutgoingRequest request) {
            checks--;
            node.removeNode(n);
          }
        });
    if (req == null) {
      checks--;
    }
  }

  /** A node did not fit into its full row: maybe re-ping the row's stalest node and swap it out. */
  void onFullRow(TableNode candidate, List<TableNode> row) {
    if (!node.bootstrapped || repinging >= MAX_REPINGS) {
      return;
    }
    TableNode oldest = null;
    for (TableNode n : row) {
      if (n.pinged == tick) {
        continue;
      }
      if (oldest == null || oldest.pinged > n.pinged || (oldest.pinged == n.pinged && oldest.added > n.added)) {
        oldest = n;
      }
    }
    if (oldest == null) {
      return;
    }
    if (tick - oldest.pinged < RECENT_NODE && tick - oldest.added > OLD_NODE) {
      return;
    }
    repingAndSwap(candidate, oldest);
  }

  private void repingAndSwap(TableNode candidate, TableNode old) {
    long lastSeen = old.seen;
    old.pinged = tick;
    repinging++;
    OutgoingRequest req = node.request(new Peer(old.host, old.port, null), false, true, Commands.PING, null, null, null,
        new OutgoingRequest.Callbacks() {
          @Override
          public void onResponse(Response response, OutgoingRequest request) {
            if (old.seen <= lastSeen) {
              swap();
              return;
            }
            repinging--;
          }

          @Override
          public void onError(DhtException error, OutgoingRequest request) {
            swap();
          }

          private void swap() {
            repinging--;
            node.removeNode(old);
            node.addNode(candidate);
          }
        });
    if (req == null) {
      repinging--;
    }
  }
}

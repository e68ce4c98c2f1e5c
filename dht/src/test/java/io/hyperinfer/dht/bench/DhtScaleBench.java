package io.hyperinfer.dht.bench;

import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.XorOrder;
import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimRuntime;
import io.hyperinfer.dht.sim.SimTestnet;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * dht-rpc at scale on the simulated network and virtual time, in one JVM: a bootstrapper and N-1 persistent nodes,
 * then FIND_NODE walks from random nodes to random targets. Reports hops (referral depth of the closest reply), the
 * deepest referral depth among its replies, the requests a walk costs, its virtual duration and how much of the true 20 XOR-closest it found, before and after 10%
 * of the nodes die at once. Usage: {@code DhtScaleBench [sizes=100,300,1000] [lookups=200] [seed=1]}.
 */
public final class DhtScaleBench {
  private static final long MINUTE = 60_000;

  /** One walk's figures. */
  record Walk(int hops, int depth, long requests, long durationMs, int found, boolean exact, boolean ok) {}

  private DhtScaleBench() {}

  public static void main(String[] args) {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100,300,1000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    System.out.println("| nodes | log2 N | phase | walks ok | exact 20 | recall | hops mean | hops p95 | depth mean"
        + " | requests mean | virtual ms mean | build s (wall) |");
    System.out.println("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int n : sizes) {
      run(n, lookups, seed);
    }
  }

  private static void run(int size, int lookups, long seed) {
    long wall = System.nanoTime();
    SimNetwork net = new SimNetwork(seed).latency(5, 50);
    SimTestnet testnet = SimTestnet.create(net, size);
    net.runFor(5 * MINUTE);
    double buildSeconds = (System.nanoTime() - wall) / 1e9;
    SplittableRandom random = new SplittableRandom(seed * 31 + size);
    List<DhtNode> alive = new ArrayList<>(testnet.nodes());
    report(size, "stable", walks(net, alive, lookups, random), buildSeconds);

    List<DhtNode> victims = new ArrayList<>(alive.subList(1, alive.size()));
    java.util.Collections.shuffle(victims, new java.util.Random(seed));
    victims = victims.subList(0, size / 10);
    for (DhtNode v : victims) {
      ((SimRuntime) v.runtime()).kill();
    }
    alive.removeAll(victims);
    report(size, "10% just killed", walks(net, alive, lookups, random), buildSeconds);
    net.runFor(10 * MINUTE);
    report(size, "10% killed, +10 min upkeep", walks(net, alive, lookups, random), buildSeconds);
  }

  private static List<Walk> walks(SimNetwork net, List<DhtNode> alive, int count, SplittableRandom random) {
    List<Walk> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DhtNode from = alive.get(random.nextInt(alive.size()));
      byte[] target = new byte[32];
      random.nextBytes(target);
      out.add(walk(net, alive, from, target));
    }
    return out;
  }

  private static Walk walk(SimNetwork net, List<DhtNode> alive, DhtNode from, byte[] target) {
    Map<HostPort, Integer> depth = new HashMap<>();
    long requests = from.stats().requestsTotal();
    long start = net.nowMs();
    Query<Response> q = from.findNode(target, QueryOptions.DEFAULT, Function.identity(), reply -> {
      int d = depth.getOrDefault(reply.from().address(), 1);
      depth.putIfAbsent(reply.from().address(), d);
      for (HostPort c : reply.closerNodes()) {
        depth.putIfAbsent(c, d + 1);
      }
    });
    net.runFor(q.finished()::isDone, 10 * MINUTE);
    if (q.finished().isCompletedExceptionally() || !q.finished().isDone()) {
      return new Walk(0, 0, from.stats().requestsTotal() - requests, net.nowMs() - start, 0, false, false);
    }
    QueryResult<Response> r = q.finished().join();
    List<String> truth = closest(alive, from, target);
    Set<String> got = new HashSet<>();
    for (Peer p : r.closestNodes()) {
      got.add(java.util.HexFormat.of().formatHex(p.id()));
    }
    int found = (int) truth.stream().filter(got::contains).count();
    int hops = r.closestReplies().isEmpty() ? 0 : depth.getOrDefault(r.closestReplies().getFirst().from().address(), 1);
    int deepest = r.replies().stream().mapToInt(m -> depth.getOrDefault(m.from().address(), 1)).max().orElse(0);
    return new Walk(hops, deepest, from.stats().requestsTotal() - requests, net.nowMs() - start, found,
        found == truth.size() && got.size() == truth.size(), r.closestReplies().size() >= Math.min(20, alive.size() - 1));
  }

  private static List<String> closest(List<DhtNode> alive, DhtNode from, byte[] target) {
    return XorOrder.closest(alive.stream().filter(n -> n != from).map(DhtNode::id).toList(), target, 20);
  }

  private static void report(int size, String phase, List<Walk> walks, double buildSeconds) {
    int n = walks.size();
    int[] hops = walks.stream().mapToInt(Walk::hops).sorted().toArray();
    System.out.printf("| %d | %.1f | %s | %d/%d | %d/%d | %.3f | %.2f | %d | %.2f | %.1f | %.0f | %.1f |%n", size,
        Math.log(size) / Math.log(2), phase, walks.stream().filter(Walk::ok).count(), n,
        walks.stream().filter(Walk::exact).count(), n, walks.stream().mapToInt(Walk::found).sum() / (20.0 * n),
        Arrays.stream(hops).average().orElse(0), hops[(int) Math.min(n - 1, Math.ceil(n * 0.95) - 1)],
        walks.stream().mapToInt(Walk::depth).average().orElse(0),
        walks.stream().mapToLong(Walk::requests).average().orElse(0),
        walks.stream().mapToLong(Walk::durationMs).average().orElse(0), buildSeconds);
  }
}

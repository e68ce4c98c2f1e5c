package io.hyperinfer.hyperdht.bench;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimRuntime;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.Command;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.LookupResult;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.hyperdht.wire.LookupReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * HyperDHT at scale on the simulated network and virtual time, in one JVM: a bootstrapper and N-1 persistent
 * HyperDHT nodes, then topic announces and lookups from random nodes, before and after 10% of the nodes die at once,
 * and a check that records expire on schedule (13.3 to 26.7 min after the last announce). Hops are the referral depth
 * of the first reply that lists the record (seeds from the table are 1).
 * Usage: {@code HyperDhtScaleBench [sizes=100,300,1000] [pairs=100] [seed=1]}.
 */
public final class HyperDhtScaleBench {
  private static final long MINUTE = 60_000;
  private static final long WAIT = 10 * MINUTE;

  /** One announce and its lookup: whether each worked, how many nodes the lookup found holding the record. */
  record Pair(boolean announced, int holders, boolean found, int hops, long requests, long lookupMs) {}

  /** A record announced once: its topic and key. */
  record Announced(byte[] topic, byte[] publicKey) {}

  private HyperDhtScaleBench() {}

  public static void main(String[] args) {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100,300,1000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    System.out.println("| nodes | log2 N | phase | announces ok | lookups found | holders per lookup | hops mean | hops p95"
        + " | requests per lookup | lookup virtual ms | stable-phase records found | their holders | build s (wall) |");
    System.out.println("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    List<String> expiry = new ArrayList<>();
    for (int n : sizes) {
      expiry.add(run(n, pairs, seed));
    }
    System.out.println();
    System.out.println("| nodes | topics | found at +13 min | at +20 min | at +27 min |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: |");
    expiry.forEach(System.out::println);
  }

  private static String run(int size, int pairs, long seed) {
    long wall = System.nanoTime();
    SimNetwork net = new SimNetwork(seed).latency(5, 50);
    Testnet testnet = Testnet.simulated(net, size);
    net.runFor(5 * MINUTE);
    double build = (System.nanoTime() - wall) / 1e9;
    SplittableRandom random = new SplittableRandom(seed * 31 + size);
    List<HyperDht> alive = new ArrayList<>(testnet.nodes());
    List<Announced> stable = new ArrayList<>();
    report(size, "stable", pairs(net, alive, pairs, random, stable), List.of(), build);

    List<HyperDht> victims = new ArrayList<>(alive.subList(1, alive.size()));
    Collections.shuffle(victims, new Random(seed));
    victims = victims.subList(0, size / 10);
    for (HyperDht v : victims) {
      ((SimRuntime) v.node().runtime()).kill();
    }
    alive.removeAll(victims);
    report(size, "10% just killed", pairs(net, alive, pairs, random, new ArrayList<>()),
        again(net, alive, stable, random), build);
    net.runFor(10 * MINUTE);
    report(size, "10% killed, +10 min upkeep", pairs(net, alive, pairs, random, new ArrayList<>()),
        again(net, alive, stable, random), build);
    return expiry(net, alive, pairs, random);
  }

  private static List<Pair> pairs(SimNetwork net, List<HyperDht> alive, int count, SplittableRandom random,
      List<Announced> announcedOut) {
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPair keys = HyperDhtCrypto.keyPair();
      byte[] topic = new byte[32];
      random.nextBytes(topic);
      Query<LookupResult> ann = pick(alive, random).announce(topic, keys, List.of());
      net.runFor(ann.finished()::isDone, WAIT);
      boolean announced = ann.finished().isDone() && !ann.finished().isCompletedExceptionally();
      out.add(lookup(net, pick(alive, random), topic, keys.publicKey(), announced));
      announcedOut.add(new Announced(topic, keys.publicKey()));
    }
    return out;
  }

  /** Lookups, from random live nodes, of records announced earlier. */
  private static List<Pair> again(SimNetwork net, List<HyperDht> alive, List<Announced> earlier,
      SplittableRandom random) {
    return earlier.stream().map(a -> lookup(net, pick(alive, random), a.topic(), a.publicKey(), true)).toList();
  }

  private static HyperDht pick(List<HyperDht> alive, SplittableRandom random) {
    return alive.get(random.nextInt(alive.size()));
  }

  /** A LOOKUP walk as {@code HyperDht.lookup} runs it, with the referral depth of every node it heard of. */
  private static Pair lookup(SimNetwork net, HyperDht from, byte[] topic, byte[] publicKey, boolean announced) {
    Map<HostPort, Integer> depth = new HashMap<>();
    int[] hops = {0};
    int[] holders = {0};
    long requests = from.node().stats().requestsTotal();
    long start = net.nowMs();
    Query<Response> q = from.node().query(new QueryRequest(topic, Command.LOOKUP.id(), null), QueryOptions.DEFAULT,
        Function.identity(), reply -> {
          int d = depth.getOrDefault(reply.from().address(), 1);
          depth.putIfAbsent(reply.from().address(), d);
          reply.closerNodes().forEach(c -> depth.putIfAbsent(c, d + 1));
          if (lists(reply, publicKey)) {
            holders[0]++;
            hops[0] = hops[0] == 0 ? d : hops[0];
          }
        });
    net.runFor(q.finished()::isDone, WAIT);
    boolean found = hops[0] > 0 && q.finished().isDone();
    return new Pair(announced, holders[0], found, hops[0], from.node().stats().requestsTotal() - requests,
        net.nowMs() - start);
  }

  private static boolean lists(Response reply, byte[] publicKey) {
    if (reply.value() == null) {
      return false;
    }
    LookupReply l = Compact.decode(LookupReply.CODEC, reply.value());
    return l.peers().stream().anyMatch(p -> Arrays.equals(p.publicKey(), publicKey));
  }

  /** Announces {@code count} topics once, then looks them up 13, 20 and 27 virtual minutes later. */
  private static String expiry(SimNetwork net, List<HyperDht> alive, int count, SplittableRandom random) {
    List<byte[]> topics = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPair k = HyperDhtCrypto.keyPair();
      byte[] topic = new byte[32];
      random.nextBytes(topic);
      Query<LookupResult> ann = pick(alive, random).announce(topic, k, List.of());
      net.runFor(ann.finished()::isDone, WAIT);
      topics.add(topic);
      keys.add(k.publicKey());
    }
    StringBuilder row = new StringBuilder("| " + alive.size() + " alive | " + count + " |");
    long elapsed = 0;
    for (long at : new long[] {13, 20, 27}) {
      net.runFor((at - elapsed) * MINUTE);
      elapsed = at;
      int found = 0;
      for (int i = 0; i < count; i++) {
        found += lookup(net, pick(alive, random), topics.get(i), keys.get(i), true).found() ? 1 : 0;
      }
      row.append(' ').append(found).append('/').append(count).append(" |");
    }
    return row.toString();
  }

  private static void report(int size, String phase, List<Pair> pairs, List<Pair> earlier, double build) {
    int n = pairs.size();
    int[] hops = pairs.stream().filter(Pair::found).mapToInt(Pair::hops).sorted().toArray();
    System.out.printf("| %d | %.1f | %s | %d/%d | %d/%d | %.1f | %.2f | %d | %.1f | %.0f | %s | %s | %.1f |%n", size,
        Math.log(size) / Math.log(2), phase, pairs.stream().filter(Pair::announced).count(), n,
        pairs.stream().filter(Pair::found).count(), n, pairs.stream().mapToInt(Pair::holders).average().orElse(0),
        Arrays.stream(hops).average().orElse(0),
        hops.length == 0 ? 0 : hops[(int) Math.min(hops.length - 1, Math.ceil(hops.length * 0.95) - 1)],
        pairs.stream().mapToLong(Pair::requests).average().orElse(0),
        pairs.stream().mapToLong(Pair::lookupMs).average().orElse(0),
        earlier.isEmpty() ? "-" : earlier.stream().filter(Pair::found).count() + "/" + earlier.size(),
        earlier.isEmpty() ? "-" : String.format("%.1f", earlier.stream().mapToInt(Pair::holders).average().orElse(0)),
        build);
    System.out.flush();
  }
}

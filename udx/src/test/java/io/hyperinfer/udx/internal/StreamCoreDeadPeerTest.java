package io.hyperinfer.udx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hyperinfer.udx.UdxException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A peer that vanishes mid-stream, on virtual time: the RTO stays armed while anything is unacked, retries come at
 * libudx's interval (twice the RTO, RTO unchanged) and the seventh expiry in a row fails the stream with ETIMEDOUT.
 */
class StreamCoreDeadPeerTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  /** Times (ns) of every RTO that fired on {@code side}, and of its close, collected while the pair runs. */
  private static final class Watch {
    final List<Long> rtoTimes = new ArrayList<>();
    long closedAtNs = -1;
    private long timeouts;

    /** Called once per simulation step; fails the test when the stream has unacked data and no timer. */
    boolean step(SimulatedPair pair, SimulatedPair.Side side) {
      StreamCore core = side.core;
      for (; timeouts < core.stats().timeouts; timeouts++) {
        rtoTimes.add(pair.nowNs);
      }
      if (!core.closed() && core.seq() != core.remoteAcked() && core.deadlineNs() == Long.MAX_VALUE) {
        fail("packets " + core.remoteAcked() + ".." + core.seq() + " unacked and no timer armed: " + core.stats());
      }
      if (side.closed && closedAtNs < 0) {
        closedAtNs = pair.nowNs;
      }
      return side.closed;
    }

    /** The gaps between consecutive RTOs and from the last RTO to the close. */
    List<Long> gaps(long fromNs) {
      List<Long> gaps = new ArrayList<>();
      long last = fromNs;
      for (long t : rtoTimes) {
        gaps.add(t - last);
        last = t;
      }
      gaps.add(closedAtNs - last);
      return gaps;
    }
  }

  @Test
  void shouldFailWithEtimedoutThirteenRtosAfterWritingWhenPeerNeverAnswered() {
    SimulatedPair pair = new SimulatedPair(new SplittableRandom(1));
    pair.connect();
    pair.blackhole = true;
    long writtenAt = pair.nowNs;
    pair.a.core.write(new byte[3000], writtenAt);
    Watch watch = new Watch();

    assertTrue(pair.runUntil(() -> watch.step(pair, pair.a), 60 * SECOND));

    assertEquals(UdxException.Code.ETIMEDOUT, pair.a.error.code());
    assertEquals(RetransmitTimers.MAX_TIMEOUTS, pair.a.core.stats().timeouts);
    // no RTT sample: libudx's initial RTO of 1 s, then six retries 2 s apart; the seventh expiry fails
    long rto = RttEstimator.INITIAL_RTO_NS;
    assertEquals(List.of(rto, 2 * rto, 2 * rto, 2 * rto, 2 * rto, 2 * rto, 2 * rto), watch.gaps(writtenAt));
    assertEquals(13 * SECOND, watch.closedAtNs - writtenAt);
  }

  @Test
  void shouldRetryEveryTwoSecondsWhenTheRtoIsBelowLibudxFloor() {
    SimulatedPair pair = new SimulatedPair(new SplittableRandom(2));
    pair.connect();
    pair.a.core.write(new byte[100], pair.nowNs);
    assertTrue(pair.runUntil(() -> pair.a.acked == 100, SECOND)); // an RTT sample of ~2 ms: our 200 ms floor
    pair.blackhole = true;
    long writtenAt = pair.nowNs;
    pair.a.core.write(new byte[100], writtenAt);
    Watch watch = new Watch();

    assertTrue(pair.runUntil(() -> watch.step(pair, pair.a), 60 * SECOND));

    assertEquals(UdxException.Code.ETIMEDOUT, pair.a.error.code());
    long retry = 2 * RetransmitTimers.RETRY_RTO_FLOOR_NS;
    assertEquals(List.of(RttEstimator.MIN_RTO_NS, retry, retry, retry, retry, retry, retry), watch.gaps(writtenAt));
  }

  /**
   * Seeded scenarios: either side writes, the link may lose packets, the writer may end or keep writing after the
   * peer vanished at a random moment. Whatever the state, the RTO stays armed and the stream fails after six
   * retries spaced evenly, each at least libudx's 2 s.
   */
  @Test
  void shouldKeepTheRtoArmedUntilEtimedoutWhenPeerVanishesMidTransfer() {
    for (long seed = 0; seed < 300; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      SimulatedPair pair = new SimulatedPair(random);
      pair.loss = random.nextInt(3) == 0 ? 0.1 : 0;
      pair.connect();
      pair.a.core.write(new byte[1 + random.nextInt(200_000)], pair.nowNs);
      pair.b.core.write(new byte[1 + random.nextInt(50_000)], pair.nowNs);
      boolean ended = random.nextBoolean();
      if (ended) {
        pair.a.core.end(pair.nowNs);
      }
      pair.runUntil(() -> false, random.nextLong(2 * SECOND));
      pair.blackhole = true;
      if (!ended && !pair.a.closed && random.nextBoolean()) {
        pair.a.core.write(new byte[1 + random.nextInt(100_000)], pair.nowNs);
      }
      Watch watch = new Watch();
      boolean closed = pair.runUntil(
          () -> watch.step(pair, pair.a) || pair.a.core.seq() == pair.a.core.remoteAcked(), 400 * SECOND);
      if (pair.a.core.seq() == pair.a.core.remoteAcked()) {
        continue; // everything was acked before the peer vanished: nothing to time out
      }
      String where = "seed " + seed + ": " + pair.a.core.stats();
      assertTrue(closed, where);
      assertEquals(UdxException.Code.ETIMEDOUT, pair.a.error.code(), where);
      List<Long> gaps = watch.gaps(0);
      List<Long> retries = gaps.subList(gaps.size() - RetransmitTimers.MAX_TIMEOUTS, gaps.size());
      assertTrue(retries.stream().distinct().count() == 1 && retries.get(0) >= 2 * SECOND, where + " " + retries);
    }
  }
}

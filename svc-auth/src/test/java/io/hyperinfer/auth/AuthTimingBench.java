package io.hyperinfer.auth;

import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.testkit.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How long register and login answer for an existing and for an unknown email, with production hashing (Argon2id
 * interactive), on a RAM store (a load generator, not a test; issue 18 measured 1.6 ms for a taken email against
 * 150 ms for a new one before). Rounds interleave the four cases; medians are reported.
 *
 * <pre>
 * java -cp ... io.hyperinfer.auth.AuthTimingBench [rounds, default 15]
 * </pre>
 */
public final class AuthTimingBench {
  private AuthTimingBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    ManualClock clock = new ManualClock();
    AuthSettings loose = TestStores.settings().withHashing(PasswordHash.INTERACTIVE);
    // no account-wide slow-down: every login must reach the hashing it is timed for
    loose = loose.withAbuse(new AbuseLimits(1_000_000, loose.abuse().accountBase(), loose.abuse().accountMax(),
        loose.abuse().forgetAfter(), loose.abuse().maxTracked(), TestStores.LOOSE, TestStores.LOOSE, 1000));
    Accounts accounts = new Accounts(TestStores.authStore(clock), loose, clock);
    java.util.Set<String> outcomes = new java.util.TreeSet<>();
    String password = "correct-Horse-7";
    accounts.register("taken@example.com", password);
    List<Double> registerTaken = new ArrayList<>();
    List<Double> registerNew = new ArrayList<>();
    List<Double> loginWrong = new ArrayList<>();
    List<Double> loginUnknown = new ArrayList<>();
    for (int i = 0; i < rounds + 2; i++) {
      int n = i;
      boolean warm = i < 2;
      outcomes.add("register taken: " + time(registerTaken, warm,
          () -> outcome(() -> accounts.register("taken@example.com", password))));
      outcomes.add("register new: " + time(registerNew, warm,
          () -> outcome(() -> accounts.register("new-" + n + "@example.com", password))));
      outcomes.add("login wrong: " + time(loginWrong, warm,
          () -> outcome(() -> accounts.login("taken@example.com", "wrong-Pass-" + n, "s" + n))));
      outcomes.add("login unknown: " + time(loginUnknown, warm,
          () -> outcome(() -> accounts.login("nobody@example.com", "wrong-Pass-" + n, "s" + n))));
    }
    System.out.printf("register, taken email:   median %.1f ms%n", median(registerTaken));
    System.out.printf("register, new email:     median %.1f ms%n", median(registerNew));
    System.out.printf("login, wrong password:   median %.1f ms%n", median(loginWrong));
    System.out.printf("login, unknown email:    median %.1f ms%n", median(loginUnknown));
    System.out.printf("(%d rounds, Argon2id interactive, hashConcurrency %d; outcomes %s)%n", rounds,
        loose.hashConcurrency(), outcomes);
  }

  private static String outcome(Supplier<?> call) {
    try {
      call.get();
      return "ok";
    } catch (AuthException e) {
      return e.code().name();
    }
  }

  private static String time(List<Double> into, boolean warmUp, Supplier<String> call) {
    long start = System.nanoTime();
    String outcome = call.get();
    if (!warmUp) {
      into.add((System.nanoTime() - start) / 1e6);
    }
    return outcome;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}

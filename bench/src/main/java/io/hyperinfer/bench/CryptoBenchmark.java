package io.hyperinfer.bench;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of the libsodium calls every layer makes, through our FFM binding (critical downcalls on heap arrays). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CryptoBenchmark {
  @Param({"64", "1024"})
  int size;

  byte[] message;
  KeyPair keyPair;
  byte[] signature;

  @Setup
  public void setup() {
    message = new byte[size];
    keyPair = Ed25519.fromSeed(new byte[32]);
    signature = Ed25519.sign(message, keyPair.secretKey());
  }

  @Benchmark
  public byte[] blake2b() {
    return Blake2b.hash(message);
  }

  @Benchmark
  public byte[] ed25519Sign() {
    return Ed25519.sign(message, keyPair.secretKey());
  }

  @Benchmark
  public boolean ed25519Verify() {
    return Ed25519.verify(signature, message, keyPair.publicKey());
  }
}

package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.client.ClientWorker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import picocli.CommandLine;

/** {@code hyperinfer serve-openai --port 0 ARGS} running in this JVM for a test, joined to a running network. */
final class ServingOpenAi implements AutoCloseable {
  final StringWriter out = new StringWriter();
  private final ServeOpenAiCommand serve = new ServeOpenAiCommand();
  private final CompletableFuture<Integer> serving;
  final String baseUrl;

  ServingOpenAi(String... joinArgs) {
    CommandLine cl = new CommandLine(serve);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    String[] args = new String[joinArgs.length + 2];
    args[0] = "--port";
    args[1] = "0";
    System.arraycopy(joinArgs, 0, args, 2, joinArgs.length);
    serving = CompletableFuture.supplyAsync(() -> cl.execute(args), Executors.newVirtualThreadPerTaskExecutor());
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> serve.client != null || serving.isDone());
    Matcher m = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/v1").matcher(out.toString());
    assertTrue(m.find(), out.toString());
    baseUrl = m.group(1);
  }

  ClientWorker client() {
    return serve.client;
  }

  /** Registers a user through the network and returns a new API key. */
  String apiKey(String email) {
    ClientWorker client = client();
    client.register(email, "Correct-horse-9-battery");
    client.login(email, "Correct-horse-9-battery");
    String key = client.createApiKey("openai").path("apiKey").asText(client.apiKey());
    assertTrue(key.startsWith("hi_"), key);
    return key;
  }

  @Override
  public void close() throws Exception {
    serve.stop.countDown();
    assertEquals(0, serving.get(30, TimeUnit.SECONDS));
  }
}

package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.StreamListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every stream event in arrival order as text: "seq:chunk", "end:value", "error:CODE". Thread-safe. */
public final class RecordingListener implements StreamListener {
  public final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void onChunk(long seq, JsonNode chunk) {
    events.add(seq + ":" + chunk.asText());
  }

  @Override
  public void onEnd(JsonNode last) {
    events.add("end:" + last.asText());
  }

  @Override
  public void onError(NetException error) {
    events.add("error:" + error.code());
  }
}

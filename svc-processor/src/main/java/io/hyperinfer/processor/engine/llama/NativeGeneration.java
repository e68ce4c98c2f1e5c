package io.hyperinfer.processor.engine.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One generation's native side, run on a platform thread of {@link LlamaEngine}'s pool: it asks llama.cpp for the
 * completion and waits in {@code LlamaIterator.next()} (a JNI call that blocks until the next token) for each piece,
 * handing the text to the request's own thread through a queue. A virtual thread blocked in that JNI call would pin
 * its carrier for the whole generation; the request's thread only parks on the queue, so it unmounts.
 *
 * <p>{@link #cancel} never calls into llama.cpp: cancelling a task while another thread waits in {@code next()} for it
 * leaves that call blocked for good (llama.cpp sends no more results for a cancelled task; measured: still blocked 5 s
 * later). So the pool thread cancels the task itself once its current {@code next()} returns, and {@link #cancel}
 * only wakes the reader, which stops at once. Thread-safe: one pool thread runs {@link #run}, one reader calls
 * {@link #take}, anyone calls {@link #cancel}.
 */
final class NativeGeneration implements Runnable {
  /** What the reader gets: a piece of text, or the end (with the failure, when llama.cpp threw). */
  sealed interface Item {
    record Text(String text) implements Item {}

    record End(RuntimeException failure) implements Item {}
  }

  private static final Item.End DONE = new Item.End(null);

  private final LlamaModel model;
  private final InferenceParameters params;
  /** Bounded by the request: llama.cpp yields at most n_predict pieces, then one end. */
  private final BlockingQueue<Item> items;
  private volatile boolean cancelled;

  NativeGeneration(LlamaModel model, InferenceParameters params, int maxTokens) {
    this.model = model;
    this.params = params;
    this.items = new LinkedBlockingQueue<>(maxTokens + 2);
  }

  @Override
  public void run() {
    if (cancelled) {
      return; // cancelled while queued for a pool thread: llama.cpp never heard of it
    }
    try {
      LlamaIterator it = model.generate(params).iterator();
      while (!cancelled && it.hasNext()) {
        LlamaOutput out = it.next();
        if (!out.text.isEmpty() && !items.offer(new Item.Text(out.text))) {
          throw new IllegalStateException("llama.cpp produced more pieces than max_tokens");
        }
      }
      if (it.hasNext()) {
        it.cancel(); // safe here: no next() of this task is running
      }
      items.offer(DONE);
    } catch (RuntimeException e) {
      items.clear();
      items.offer(new Item.End(e));
    }
  }

  /** Stops the generation: the reader's {@link #take} returns an end now, llama.cpp stops after its current token. */
  void cancel() {
    cancelled = true;
    items.clear();
    items.offer(DONE);
  }

  /** The next piece or the end, waiting (parked) for llama.cpp. */
  Item take() throws InterruptedException {
    return items.take();
  }
}

package io.hyperinfer.dht;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The commit step of a query (JS {@code opts.commit(reply, dht, query)}): called on the loop once per closest reply
 * (at most 20) when the walk ends. The query succeeds if at least one commit succeeds.
 */
@FunctionalInterface
public interface Commit {
  /**
   * JS's {@code commit: true}: re-send the query's command, target and value to each closest node with the token
   * it replied with; a reply without a token fails that commit ("No token received for closest node").
   */
  Commit AUTO = (reply, query, node) -> reply.token() == null
      ? CompletableFuture.failedFuture(DhtException.noToken())
      : node.request(reply.from().address(), query.command(), query.target(), query.value(), reply.token(),
          RequestOptions.DEFAULT);

  /** Commits to one closest reply; the stage completes when that commit is done. */
  CompletionStage<?> commit(Response reply, QueryRequest query, DhtNode node);
}

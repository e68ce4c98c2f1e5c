package io.hyperinfer.rpc;

/**
 * The outcome of one request, delivered on the thread that learnt it: usually the connection's reader, else the
 * timeout timer or the thread that closed the channel. Exactly one method is called, once. It must neither block
 * (the connection reads nothing meanwhile) nor throw (on the reader that destroys the connection). It may send more
 * requests: those sent on the reader leave together with whatever else its read produced.
 */
public interface ResponseListener {
  void onResponse(byte[] value);

  void onError(RpcException error);
}

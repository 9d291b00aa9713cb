package dev.jfind.server.rpc;

import io.grpc.stub.ServerCallStreamObserver;

/**
 * Lets a query thread wait until the client can take more (gRPC flow control), so a slow
 * reader never makes the daemon buffer results without bound, and notices cancellation.
 * Handlers must be installed before the RPC method returns, hence the constructor.
 */
final class ReadyGate {
    private final ServerCallStreamObserver<?> call;
    private volatile boolean cancelled;

    ReadyGate(ServerCallStreamObserver<?> call) {
        this.call = call;
        call.setOnReadyHandler(this::signal);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            signal();
        });
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Blocks until the stream is ready; false if the call was cancelled meanwhile. */
    boolean awaitReady() throws InterruptedException {
        synchronized (this) {
            while (!cancelled && !call.isReady()) {
                wait(1_000); // onReady wakes us; the timeout is only a safety net
            }
        }
        return !cancelled;
    }

    private synchronized void signal() {
        notifyAll();
    }
}

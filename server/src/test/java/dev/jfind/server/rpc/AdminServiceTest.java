package dev.jfind.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.api.v1.JfindAdminServiceGrpc;
import dev.jfind.api.v1.ReloadConfigRequest;
import dev.jfind.api.v1.StartCrawlRequest;
import dev.jfind.server.access.Caller;
import dev.jfind.server.access.Visibility;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Who may administer the daemon: root, its own user, its admin group; nobody else, and never over TCP. */
class AdminServiceTest {
    private static final int DAEMON_UID = 990;
    private static final int ADMIN_GID = 4242;

    private final AtomicInteger crawls = new AtomicInteger();
    private final AtomicInteger fullCrawls = new AtomicInteger();
    private final List<String> reloadAnswer = new ArrayList<>(List.of("crawling again with root changed"));
    private boolean reloadBroken;

    private final Administration daemon = new Administration() {
        @Override
        public void startCrawl(boolean full) {
            crawls.incrementAndGet();
            if (full) {
                fullCrawls.incrementAndGet();
            }
        }

        @Override
        public List<String> reloadConfig() {
            if (reloadBroken) {
                throw new IllegalStateException("reload failed: /etc/jfind/jfindd.conf:3: no such key 'rooot'");
            }
            return reloadAnswer;
        }
    };

    private Status.Code call(Caller caller, boolean reload) throws Exception {
        return call(caller, reload, StartCrawlRequest.getDefaultInstance());
    }

    private Status.Code call(Caller caller, boolean reload, StartCrawlRequest crawl) throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name)
                .addService(new AdminService(() -> daemon, DAEMON_UID, ADMIN_GID))
                .intercept(caller == Caller.ANONYMOUS ? CallerInterceptor.anonymous(Visibility.forThisProcess())
                        : CallerInterceptor.fixed(Visibility.forThisProcess(), caller))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            JfindAdminServiceGrpc.JfindAdminServiceBlockingStub stub = JfindAdminServiceGrpc.newBlockingStub(channel);
            if (reload) {
                assertEquals(reloadAnswer, stub.reloadConfig(ReloadConfigRequest.getDefaultInstance()).getChangesList());
            } else {
                stub.startCrawl(crawl);
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }

    @Test
    void rootTheDaemonsUserAndTheAdminGroupMayOthersMayNot() throws Exception {
        assertEquals(Status.Code.OK, call(Caller.user(0, 0), false));
        assertEquals(Status.Code.OK, call(Caller.user(DAEMON_UID, 100), false));
        assertEquals(Status.Code.OK, call(Caller.user(1000, 1000, ADMIN_GID), false), "a supplementary group counts");
        assertEquals(3, crawls.get());
        assertEquals(Status.Code.PERMISSION_DENIED, call(Caller.user(1001, 1001, 27), false));
        assertEquals(Status.Code.PERMISSION_DENIED, call(Caller.ANONYMOUS, false), "TCP callers never may");
        assertEquals(3, crawls.get(), "a refused call starts nothing");
        assertEquals(Status.Code.OK, call(Caller.user(0, 0), true));
        assertEquals(Status.Code.PERMISSION_DENIED, call(Caller.user(1001, 1001), true));
    }

    @Test
    void aFullCrawlIsPassedOnAsFullAndOnlyWhenAsked() throws Exception {
        assertEquals(Status.Code.OK, call(Caller.user(0, 0), false));
        assertEquals(0, fullCrawls.get(), "a plain crawl reuses unchanged listings");
        assertEquals(Status.Code.OK, call(Caller.user(0, 0), false, StartCrawlRequest.newBuilder().setFull(true).build()));
        assertEquals(1, fullCrawls.get());
        assertEquals(Status.Code.PERMISSION_DENIED,
                call(Caller.user(1001, 1001), false, StartCrawlRequest.newBuilder().setFull(true).build()));
        assertEquals(2, crawls.get());
        assertEquals(1, fullCrawls.get(), "a refused full crawl starts nothing");
    }

    @Test
    void aBrokenConfigurationIsFailedPreconditionSayingWhy() throws Exception {
        reloadBroken = true;
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name)
                .addService(new AdminService(() -> daemon, DAEMON_UID, null))
                .intercept(CallerInterceptor.fixed(Visibility.forThisProcess(), Caller.user(0, 0)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () ->
                    JfindAdminServiceGrpc.newBlockingStub(channel).reloadConfig(ReloadConfigRequest.getDefaultInstance()));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("no such key 'rooot'"), e.getStatus().getDescription());
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }
}

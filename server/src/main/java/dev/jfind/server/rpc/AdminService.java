package dev.jfind.server.rpc;

import dev.jfind.api.v1.JfindAdminServiceGrpc;
import dev.jfind.api.v1.ReloadConfigRequest;
import dev.jfind.api.v1.ReloadConfigResponse;
import dev.jfind.api.v1.StartCrawlRequest;
import dev.jfind.api.v1.StartCrawlResponse;
import dev.jfind.server.access.Caller;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * jfind.v1.JfindAdminService: re-crawl and reload on request. Only root, the daemon's own
 * user and members of the configured admin group may; the caller comes from the kernel
 * (SO_PEERCRED), never from the request.
 */
public final class AdminService extends JfindAdminServiceGrpc.JfindAdminServiceImplBase {
    private final Supplier<Administration> daemon;
    private final int ownUid;
    /** gid of the admin group, or -1 for none. */
    private final int adminGroup;

    public AdminService(Supplier<Administration> daemon, int ownUid, Integer adminGroup) {
        this.daemon = daemon;
        this.ownUid = ownUid;
        this.adminGroup = adminGroup == null ? -1 : adminGroup;
    }

    @Override
    public void startCrawl(StartCrawlRequest request, StreamObserver<StartCrawlResponse> responses) {
        if (refused(responses)) {
            return;
        }
        daemon.get().startCrawl(request.getFull());
        responses.onNext(StartCrawlResponse.getDefaultInstance());
        responses.onCompleted();
    }

    @Override
    public void reloadConfig(ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> responses) {
        if (refused(responses)) {
            return;
        }
        try {
            responses.onNext(ReloadConfigResponse.newBuilder().addAllChanges(daemon.get().reloadConfig()).build());
            responses.onCompleted();
        } catch (IllegalStateException e) {
            responses.onError(Failures.notNow(e));
        }
    }

    /** Ends the call with PERMISSION_DENIED unless the caller may administer; true if it did. */
    private boolean refused(StreamObserver<?> responses) {
        dev.jfind.server.access.CallerView view = CallerInterceptor.currentView();
        Caller caller = view == null ? null : view.caller();
        boolean allowed = caller != null && !caller.anonymous()
                && (caller.isRoot() || caller.uid() == ownUid || (adminGroup >= 0 && caller.groups().contains(adminGroup)));
        if (!allowed) {
            responses.onError(Failures.notAdministrator(caller, adminGroup));
        }
        return !allowed;
    }
}

package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.testing.Trees;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * grpc.health.v1 and server reflection on the real daemon's socket: what generic tools
 * (grpcurl, grpc_health_probe, supervisors) rely on, used the way they use it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandardServicesIT {
    private static final String JFIND = "jfind.v1.JfindService";

    private ApiDaemon daemon;

    @BeforeAll
    void startDaemon(@TempDir Path tmp) throws Exception {
        daemon = ApiDaemon.start(tmp);
    }

    @AfterAll
    void stopDaemon() throws Exception {
        daemon.close();
    }

    private HealthGrpc.HealthBlockingStub health() {
        return HealthGrpc.newBlockingStub(daemon.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void healthIsServingForTheServerAndForJfind() {
        assertEquals(ServingStatus.SERVING, health().check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus(), "the server as a whole");
        assertEquals(ServingStatus.SERVING, health().check(HealthCheckRequest.newBuilder().setService(JFIND).build())
                .getStatus());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> health().check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    }

    @Test
    @Order(2)
    void reflectionListsTheServices() throws Exception {
        ServerReflectionResponse v1 = reflect(ServerReflectionRequest.newBuilder().setListServices("").build());
        Set<String> names = new HashSet<>();
        v1.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).forEach(names::add);
        assertTrue(names.containsAll(List.of(JFIND, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                "grpc.reflection.v1alpha.ServerReflection")), names.toString());

        // tools that predate reflection v1 ask v1alpha
        CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> alpha = new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
                io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(daemon.channel)
                        .serverReflectionInfo(completing(alpha));
        requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertTrue(alpha.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .anyMatch(s -> s.getName().equals(JFIND)));
    }

    /** What grpcurl does: fetch the schema by reflection, then call Search with dynamic messages. */
    @Test
    @Order(3)
    void aSearchCanBeMadeFromTheReflectedSchemaAlone() throws Exception {
        ServerReflectionResponse files = reflect(ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol(JFIND).build());
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        for (ByteString b : files.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto p = FileDescriptorProto.parseFrom(b);
            protos.put(p.getName(), p);
        }
        FileDescriptor jfind = build("jfind/v1/jfind.proto", protos, new HashMap<>());
        MethodDescriptor search = jfind.findServiceByName("JfindService").findMethodByName("Search");
        io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> method = io.grpc.MethodDescriptor
                .<DynamicMessage, DynamicMessage>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(JFIND, "Search"))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(search.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(search.getOutputType())))
                .build();
        DynamicMessage request = DynamicMessage.newBuilder(search.getInputType())
                .addRepeatedField(search.getInputType().findFieldByName("patterns"), ByteString.copyFromUtf8("report"))
                .build();
        Set<ByteBuffer> paths = new HashSet<>();
        Iterator<DynamicMessage> responses = ClientCalls.blockingServerStreamingCall(daemon.channel, method,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
        while (responses.hasNext()) {
            DynamicMessage response = responses.next();
            for (Object entry : (List<?>) response.getField(search.getOutputType().findFieldByName("entries"))) {
                DynamicMessage e = (DynamicMessage) entry;
                paths.add(ByteBuffer.wrap(((ByteString) e.getField(e.getDescriptorForType().findFieldByName("path")))
                        .toByteArray()));
            }
        }
        assertEquals(Trees.containing(Trees.find(daemon.root), Trees.utf8("report")), paths);
        byte[] invalid = PathBytes.of(Trees.child(daemon.root, ApiDaemon.INVALID_UTF8_REPORT));
        assertTrue(paths.contains(ByteBuffer.wrap(invalid)), "the name that is not valid UTF-8, byte for byte");
    }

    @Test
    @Order(4)
    void healthWatchersLearnOfShutdownBeforeTheStreamEnds() throws Exception {
        Iterator<HealthCheckResponse> watch = HealthGrpc.newBlockingStub(daemon.channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .watch(HealthCheckRequest.newBuilder().setService(JFIND).build());
        assertEquals(ServingStatus.SERVING, watch.next().getStatus());
        daemon.process.destroy(); // SIGTERM
        assertEquals(ServingStatus.NOT_SERVING, watch.next().getStatus());
        assertTrue(daemon.process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, daemon.process.exitValue(), "stopped by SIGTERM");
    }

    private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> response = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(daemon.channel)
                .serverReflectionInfo(completing(response));
        requests.onNext(request);
        requests.onCompleted();
        ServerReflectionResponse r = response.get(10, TimeUnit.SECONDS);
        assertFalse(r.hasErrorResponse(), () -> r.getErrorResponse().toString());
        return r;
    }

    /** Completes {@code future} with the first message of a stream. */
    private static <T> StreamObserver<T> completing(CompletableFuture<T> future) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                future.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                future.completeExceptionally(new AssertionError("the stream ended without a message"));
            }
        };
    }

    /** Builds {@code name} from the reflected protos, its imports first. */
    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
            Map<String, FileDescriptor> built) throws Exception {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        assertNotNull(proto, () -> "reflection did not send " + name + ", only " + protos.keySet());
        FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
        for (int i = 0; i < deps.length; i++) {
            deps[i] = build(proto.getDependency(i), protos, built);
        }
        FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
        built.put(name, file);
        return file;
    }
}

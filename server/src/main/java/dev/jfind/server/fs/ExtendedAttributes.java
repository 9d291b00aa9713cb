package dev.jfind.server.fs;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Reads one extended attribute of a directory in any namespace, such as
 * {@code system.posix_acl_access}, which the JDK's public API cannot: its
 * {@code UserDefinedFileAttributeView} only reaches the {@code user.} namespace. Uses the
 * JDK's own {@code sun.nio.fs} calls (open, fgetxattr, close), which the launchers open as
 * they do for {@link PathBytes}, and {@code sun.misc.Unsafe} to copy the value out of native
 * memory. When any of that is missing, {@link #available()} is false.
 *
 * <p>Thread-safe: each thread keeps its own native buffer.
 */
public final class ExtendedAttributes {
    /** ACLs are a few entries of 8 bytes; 64 KiB is what the kernel allows any attribute. */
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;

    private static final Native NATIVE = Native.find();
    private static final ThreadLocal<Object> BUFFERS = new ThreadLocal<>();

    private ExtendedAttributes() {}

    /** Whether this JVM lets us read attributes (the launchers make it so). */
    public static boolean available() {
        return NATIVE != null;
    }

    /**
     * The value of attribute {@code name} of {@code dir}, or null when it has none or its
     * file system keeps no attributes. A symlink is not followed (it fails: ELOOP).
     *
     * @throws IOException when {@code dir} cannot be opened or read, or attributes are not
     *     {@linkplain #available() available}
     */
    public static byte[] read(Path dir, String name) throws IOException {
        if (NATIVE == null) {
            throw new IOException("extended attributes cannot be read on this JVM"
                    + " (it needs --add-opens=java.base/sun.nio.fs=ALL-UNNAMED)");
        }
        try {
            return NATIVE.read(dir, (name + "\0").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("reading " + name + " of " + dir + ": " + e, e);
        }
    }

    /** The JDK internals, looked up once. */
    private record Native(MethodHandle open, MethodHandle close, MethodHandle fgetxattr, MethodHandle errno,
            Class<?> unixException, MethodHandle allocBuffer, MethodHandle address, MethodHandle getByte,
            int openFlags) {

        static Native find() {
            try {
                MethodHandles.Lookup mine = MethodHandles.lookup();
                Class<?> dispatcher = Class.forName("sun.nio.fs.UnixNativeDispatcher");
                Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
                Class<?> unixException = Class.forName("sun.nio.fs.UnixException");
                Class<?> buffers = Class.forName("sun.nio.fs.NativeBuffers");
                Class<?> buffer = Class.forName("sun.nio.fs.NativeBuffer");
                Class<?> constants = Class.forName("sun.nio.fs.UnixConstants");
                MethodHandles.Lookup fs = MethodHandles.privateLookupIn(dispatcher, mine);
                MethodHandle open = fs.findStatic(dispatcher, "open",
                        MethodType.methodType(int.class, unixPath, int.class, int.class));
                MethodHandle close = fs.findStatic(dispatcher, "close", MethodType.methodType(void.class, int.class));
                MethodHandle fgetxattr = fs.findStatic(dispatcher, "fgetxattr",
                        MethodType.methodType(int.class, int.class, byte[].class, long.class, int.class));
                MethodHandle errno = fs.findVirtual(unixException, "errno", MethodType.methodType(int.class));
                MethodHandle alloc = fs.findStatic(buffers, "allocNativeBuffer",
                        MethodType.methodType(buffer, int.class));
                MethodHandle address = fs.findVirtual(buffer, "address", MethodType.methodType(long.class));
                int flags = (int) fs.findStaticVarHandle(constants, "O_RDONLY", int.class).get()
                        | (int) fs.findStaticVarHandle(constants, "O_NOFOLLOW", int.class).get();
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                java.lang.reflect.Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                MethodHandle getByte = mine.findVirtual(unsafeClass, "getByte",
                        MethodType.methodType(byte.class, long.class)).bindTo(theUnsafe.get(null));
                return new Native(open, close, fgetxattr, errno, unixException, alloc, address, getByte, flags);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        byte[] read(Path dir, byte[] name) throws Throwable {
            int fd;
            try {
                fd = (int) open.invoke(dir, openFlags, 0);
            } catch (Throwable e) {
                throw failure(dir, e);
            }
            try {
                long at = bufferAddress();
                int size;
                try {
                    size = (int) fgetxattr.invoke(fd, name, at, BUFFER_BYTES);
                } catch (Throwable e) {
                    if (unixException.isInstance(e)) {
                        int code = (int) errno.invoke(e);
                        if (code == ENODATA || code == ENOTSUP) {
                            return null;
                        }
                    }
                    throw failure(dir, e);
                }
                byte[] value = new byte[size];
                for (int i = 0; i < size; i++) {
                    value[i] = (byte) getByte.invokeExact(at + i);
                }
                return value;
            } finally {
                close.invoke(fd);
            }
        }

        private long bufferAddress() throws Throwable {
            Object buffer = BUFFERS.get();
            if (buffer == null) {
                buffer = allocBuffer.invoke(BUFFER_BYTES);
                BUFFERS.set(buffer); // kept for the thread's life; its cleaner frees it after
            }
            return (long) address.invoke(buffer);
        }

        private Throwable failure(Path dir, Throwable e) throws Throwable {
            if (unixException.isInstance(e)) {
                return new FileSystemException(dir.toString(), null, "errno " + (int) errno.invoke(e));
            }
            return e;
        }
    }
}

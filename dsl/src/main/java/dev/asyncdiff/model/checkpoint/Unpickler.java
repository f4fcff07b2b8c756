package dev.asyncdiff.model.checkpoint;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A reader of Python pickles (binary protocols 2–5, the opcodes of Python's pickletools table that {@code torch.save}
 * and plain containers produce) into Java values: None → null, bool → Boolean, int → Long (BigInteger past 64 bits),
 * float → Double, str → String, bytes → byte[], tuple → an unmodifiable List, list → ArrayList, dict → LinkedHashMap
 * (insertion order kept), set → LinkedHashSet. Nothing is executed: a global is only a name ({@link Global}), and a
 * call of one (REDUCE, NEWOBJ) is handed to the caller's {@link Calls}, which rebuilds the calls it knows and
 * returns {@link Call} for the others. Persistent ids (torch's storages) go to the caller's loader.
 */
final class Unpickler {
    /** A module-level name a pickle refers to, e.g. torch._utils._rebuild_tensor_v2. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A call this reader did not rebuild: the callable and its arguments; BUILD's state, if any, is dropped. */
    record Call(Global callable, List<Object> args) {
    }

    /** Rebuilds a call of a global from its arguments, or returns a {@link Call} for one it does not know. */
    @FunctionalInterface
    interface Calls {
        Object call(Global callable, List<Object> args) throws IOException;
    }

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final Calls calls;
    private final Function<Object, Object> persistent;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(byte[] data, Calls calls, Function<Object, Object> persistent) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.calls = calls;
        this.persistent = persistent;
    }

    /**
     * The object the pickle {@code data} holds; an IOException naming the byte position of an opcode this reader
     * does not know or of a truncated pickle.
     */
    static Object load(byte[] data, Calls calls, Function<Object, Object> persistent) throws IOException {
        return new Unpickler(data, calls, persistent).run();
    }

    private Object run() throws IOException {
        try {
            while (true) {
                int at = in.position();
                int op = in.get() & 0xff;
                if (op == '.') {
                    return pop();
                }
                step(op, at);
            }
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IOException("the pickle is truncated or malformed near byte " + in.position());
        }
    }

    @SuppressWarnings("unchecked")
    private void step(int op, int at) throws IOException {
        switch (op) {
            case 0x80 -> in.get(); // PROTO
            case 0x95 -> in.getLong(); // FRAME: a length hint only
            case '(' -> {
                marks.add(stack.size());
                stack.add(MARK);
            }
            case ')' -> push(List.of());
            case '}' -> push(new LinkedHashMap<>());
            case ']' -> push(new ArrayList<>());
            case 0x8f -> push(new LinkedHashSet<>());
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'K' -> push((long) (in.get() & 0xff));
            case 'M' -> push((long) (in.getShort() & 0xffff));
            case 'J' -> push((long) in.getInt());
            case 0x8a -> push(longOf(bytes(in.get() & 0xff)));
            case 0x8b -> push(longOf(bytes(in.getInt())));
            case 'G' -> push(ByteBuffer.wrap(bytes(8)).getDouble()); // big-endian, unlike every other number
            case 'X' -> push(utf8(bytes(in.getInt())));
            case 0x8c -> push(utf8(bytes(in.get() & 0xff)));
            case 0x8d -> push(utf8(bytes(Math.toIntExact(in.getLong()))));
            case 'T' -> push(latin1(bytes(in.getInt())));
            case 'U' -> push(latin1(bytes(in.get() & 0xff)));
            case 'B' -> push(bytes(in.getInt()));
            case 'C' -> push(bytes(in.get() & 0xff));
            case 0x8e -> push(bytes(Math.toIntExact(in.getLong())));
            case 't' -> push(Collections.unmodifiableList(popMark()));
            case 0x85 -> push(tuple(1));
            case 0x86 -> push(tuple(2));
            case 0x87 -> push(tuple(3));
            case 'a' -> {
                Object v = pop();
                ((List<Object>) peek()).add(v);
            }
            case 'e' -> {
                List<Object> items = popMark();
                ((List<Object>) peek()).addAll(items);
            }
            case 's' -> {
                Object v = pop();
                Object k = pop();
                ((Map<Object, Object>) peek()).put(k, v);
            }
            case 'u' -> {
                List<Object> items = popMark();
                Map<Object, Object> m = (Map<Object, Object>) peek();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    m.put(items.get(i), items.get(i + 1));
                }
            }
            case 0x90 -> {
                List<Object> items = popMark();
                ((Set<Object>) peek()).addAll(items);
            }
            case 'c' -> push(new Global(line(), line()));
            case 0x93 -> {
                String name = (String) pop();
                push(new Global((String) pop(), name));
            }
            case 'R' -> {
                List<Object> args = (List<Object>) pop();
                push(calls.call((Global) pop(), args));
            }
            case 0x81 -> {
                List<Object> args = (List<Object>) pop();
                push(calls.call((Global) pop(), args));
            }
            case 0x92 -> {
                pop(); // keyword arguments: none of the calls rebuilt here takes them
                List<Object> args = (List<Object>) pop();
                push(calls.call((Global) pop(), args));
            }
            case 'b' -> pop(); // BUILD: the state of an object (an OrderedDict's _metadata …) is not needed
            case 'Q' -> push(persistent.apply(pop()));
            case 'q' -> memo.put((long) (in.get() & 0xff), peek());
            case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
            case 0x94 -> memo.put((long) memo.size(), peek());
            case 'h' -> push(memo(in.get() & 0xff, at));
            case 'j' -> push(memo(in.getInt() & 0xffffffffL, at));
            case '0' -> pop();
            case '2' -> push(peek());
            case '1' -> popMark();
            default -> throw new IOException(String.format("pickle opcode 0x%02x at byte %d is not supported (a "
                    + "torch.save checkpoint of tensors and plain containers does not use it)", op, at));
        }
    }

    private Object memo(long key, int at) throws IOException {
        if (!memo.containsKey(key)) {
            throw new IOException("the pickle reads memo " + key + " before storing it (byte " + at + ")");
        }
        return memo.get(key);
    }

    private List<Object> tuple(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    private List<Object> popMark() {
        int from = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(from + 1, stack.size()));
        stack.subList(from, stack.size()).clear();
        return items;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        return stack.get(stack.size() - 1);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder s = new StringBuilder();
        for (byte b = in.get(); b != '\n'; b = in.get()) {
            s.append((char) (b & 0xff));
        }
        return s.toString();
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** LONG1/LONG4: little-endian two's complement; a Long when it fits. */
    private static Object longOf(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}

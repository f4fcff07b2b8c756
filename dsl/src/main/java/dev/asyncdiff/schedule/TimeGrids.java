package dev.asyncdiff.schedule;

import java.util.Arrays;

/**
 * Reads grid names as the CLI writes them: uniform, shift:S, flux-dynamic (the backbone's image-token count) or
 * flux-dynamic:N (N tokens), logsnr, custom:1,0.5,0. Every grid's {@link TimeGrid#spec()} reads back as itself.
 */
public final class TimeGrids {
    public static final String CHOICES = "uniform, shift:S, flux-dynamic[:TOKENS], logsnr, custom:1,…,0";

    private TimeGrids() {
    }

    /** @param imageTokens the backbone's image-token count ({@code FlowModel.positions()}), used by bare flux-dynamic */
    public static TimeGrid parse(String spec, int imageTokens) {
        String s = spec.trim();
        if (s.equals("uniform")) {
            return new UniformGrid();
        }
        if (s.equals(FluxShiftGrid.NAME)) {
            return new FluxShiftGrid(imageTokens);
        }
        if (s.startsWith(FluxShiftGrid.NAME + ":")) {
            double tokens = number(s.substring(FluxShiftGrid.NAME.length() + 1), spec);
            if (tokens != Math.rint(tokens) || tokens < 1 || tokens > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("schedule '" + spec + "' needs a whole token count >= 1");
            }
            return new FluxShiftGrid((int) tokens);
        }
        if (s.equals("logsnr")) {
            return new LogSnrGrid(LogSnrGrid.DEFAULT_HALF_RANGE);
        }
        if (s.equals("shift")) {
            return new StaticShiftGrid(StaticShiftGrid.SD3_SHIFT);
        }
        if (s.startsWith("shift:")) {
            return new StaticShiftGrid(number(s.substring(6), spec));
        }
        if (s.startsWith("custom:")) {
            double[] points = Arrays.stream(s.substring(7).split(",")).mapToDouble(p -> number(p, spec)).toArray();
            return new CustomGrid(points);
        }
        throw new IllegalArgumentException("unknown schedule '" + spec + "' (choose " + CHOICES + ")");
    }

    private static double number(String text, String spec) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + spec + "' has '" + text + "' where a number belongs");
        }
    }
}

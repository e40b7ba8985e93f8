package io.github.ae4j.core.data;

/**
 * The number syntax of ae4j's CSV cells, stricter than {@link Double#parseDouble}: an optional sign,
 * digits with an optional decimal point (or a point and digits), and an optional exponent, e.g.
 * {@code 12}, {@code -0.5}, {@code .5}, {@code 3.}, {@code 1e-3}, {@code +2.5E+10}. Java's own
 * suffixes and forms ({@code 1.5d}, {@code 1.5f}, {@code 0x1p3}, {@code Infinity}) and surrounding
 * blanks are not numbers here. Missing-value markers ({@code NaN}, {@code NA}, ...) are handled by
 * {@link TabularSchema#isMissing}, before this.
 */
public final class CsvNumbers {

    private CsvNumbers() {
    }

    /**
     * Whether a cell is a number in this syntax.
     *
     * @param s the cell (already trimmed)
     * @return true when it is
     */
    public static boolean isNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Parses a cell in this syntax.
     *
     * @param s the cell (already trimmed)
     * @return its value (may be infinite when out of double range, e.g. {@code 1e999})
     * @throws NumberFormatException when it is not a number in this syntax
     */
    public static double parse(String s) {
        if (!isNumber(s)) {
            throw new NumberFormatException("not a number: '" + s + "'");
        }
        return Double.parseDouble(s);
    }
}

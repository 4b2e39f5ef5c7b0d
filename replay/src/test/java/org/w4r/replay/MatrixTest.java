package org.w4r.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatrixTest {

    @ParameterizedTest
    @CsvSource({"1, 2020", "1, 7", "0.1, 2020", "0.01, 1", "0.01, 99", "0.001, 2020", "0.001, 5", "0.0001, 3", "0.00001, 11"})
    void everyRowAndColumnAddsUpToItsScaledTotal(double scale, long seed) {
        Matrix m = Matrix.of2020(scale, seed);
        long total = Math.round(Report2020.GLOBAL_TOTAL * scale);
        assertEquals(total, m.total());
        assertEquals(total, m.columns.stream().mapToLong(Marginal::total).sum());
        for (int r = 0; r < m.rows.size(); r++) {
            long sum = 0;
            for (int c = 0; c < m.columns.size(); c++) {
                assertTrue(m.cell(r, c) >= 0);
                sum += m.cell(r, c);
            }
            assertEquals(m.rowTotal(r), sum, "row " + m.rows.get(r).id());
        }
        for (int c = 0; c < m.columns.size(); c++) {
            long sum = 0;
            for (int r = 0; r < m.rows.size(); r++) {
                sum += m.cell(r, c);
            }
            assertEquals(m.columnTotal(c), sum, "column " + m.columns.get(c).id());
        }
        // each scaled margin is its exact share rounded down or up, never further
        assertWithinOne(Report2020.rows(), m.rows, scale);
        assertWithinOne(Report2020.columns(), m.columns, scale);
    }

    @Test
    void atFullScaleTheMarginsAreTheReportsFigures() {
        Matrix m = Matrix.of2020(1, 2020);
        assertEquals(Report2020.rows(), m.rows);
        assertEquals(Report2020.columns(), m.columns);
        assertEquals(4_496_875, m.total());
        assertEquals(381_816, m.rows.get(m.rows.size() - 1).total());
        assertEquals("international-members", m.columns.get(m.columns.size() - 1).id());
        assertEquals(400_899, m.columns.get(m.columns.size() - 1).total());
        assertEquals(11, m.rows.size());
        assertEquals(60, m.columns.size());
    }

    @Test
    void theSameSeedGivesTheSameMatrixAndAnotherSeedAnotherOne() {
        Matrix a = Matrix.of2020(0.01, 2020), b = Matrix.of2020(0.01, 2020), c = Matrix.of2020(0.01, 2021);
        boolean differs = false;
        for (int r = 0; r < a.rows.size(); r++) {
            for (int col = 0; col < a.columns.size(); col++) {
                assertEquals(a.cell(r, col), b.cell(r, col));
                differs |= a.cell(r, col) != c.cell(r, col);
            }
        }
        assertTrue(differs);
        assertEquals(a.rows, c.rows); // the margins do not depend on the seed
    }

    @Test
    void largestRemainderRoundingKeepsTheSum() {
        List<Marginal> thirds = List.of(new Marginal("a", "a", 1), new Marginal("b", "b", 1), new Marginal("c", "c", 1));
        List<Marginal> scaled = Matrix.scale(thirds, 3, 2);
        assertEquals(2, scaled.stream().mapToLong(Marginal::total).sum());
        assertEquals(List.of(1L, 1L, 0L), scaled.stream().map(Marginal::total).toList()); // ties to the earlier item
        assertFalse(scaled.stream().anyMatch(m -> m.total() < 0));
    }

    private static void assertWithinOne(List<Marginal> report, List<Marginal> scaled, double scale) {
        long target = scaled.stream().mapToLong(Marginal::total).sum();
        for (int i = 0; i < report.size(); i++) {
            double exact = (double) report.get(i).total() * target / Report2020.GLOBAL_TOTAL;
            assertTrue(Math.abs(scaled.get(i).total() - exact) < 1, report.get(i).id() + " at " + scale);
        }
    }
}

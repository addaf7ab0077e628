/* Where the demo district lies on its (fictitious) map: one layout for the region boundaries
 * (demo.c) and the case locations (demo_cases.c). Grids are 0.004° squares, three by two in a
 * community; a street's five communities sit two abreast in three rows; the two streets side
 * by side. Grid 1 of community 1 of street 1 covers lon 120.000–120.004, lat 30.000–30.004. */
#ifndef JICENG_CLI_DEMO_LAYOUT_H
#define JICENG_CLI_DEMO_LAYOUT_H

enum { DEMO_COMM_COLS = 2 };
#define DEMO_GRID_DEG 0.004
#define DEMO_COMM_W   (3 * DEMO_GRID_DEG)
#define DEMO_COMM_H   (2 * DEMO_GRID_DEG)
#define DEMO_STREET_W (DEMO_COMM_COLS * DEMO_COMM_W)

/* The south-west corner of community c (0-based) of street s. */
static inline void demo_comm_origin(int s, int c, double *x, double *y)
{
	*x = 120.0 + s * DEMO_STREET_W + (c % DEMO_COMM_COLS) * DEMO_COMM_W;
	*y = 30.0 + (c / DEMO_COMM_COLS) * DEMO_COMM_H;
}

/* The south-west corner of grid g (0-based) of that community. */
static inline void demo_grid_origin(int s, int c, int g, double *x, double *y)
{
	demo_comm_origin(s, c, x, y);
	*x += (g % 3) * DEMO_GRID_DEG;
	*y += (g / 3) * DEMO_GRID_DEG;
}

#endif

/* Sealing personal data: values bound to their place (associated data) open only there;
 * values sealed before binding still open through the legacy path; the key file's mode. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/seal.h"

static const char AD1[] = "residents\0id_number\0"
                          "17";
static const char AD2[] = "residents\0id_number\0"
                          "18";

static void set_key(void)
{
	unsigned char key[32];
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)(i * 7 + 1);
	seal_set_key(key);
}

static void test_bound_opens_only_in_its_place(void **state)
{
	(void)state;
	set_key();
	unsigned char *c;
	size_t n;
	assert_true(seal_encrypt_ad("99010519491231002X", 18, AD1, sizeof AD1, &c, &n));
	bool legacy = true;
	char *p = seal_decrypt_ad(c, n, AD1, sizeof AD1, true, &legacy);
	assert_non_null(p);
	assert_string_equal(p, "99010519491231002X");
	assert_false(legacy);
	free(p);
	/* moved to another row: refused, with or without the legacy path */
	assert_null(seal_decrypt_ad(c, n, AD2, sizeof AD2, true, NULL));
	assert_null(seal_decrypt_ad(c, n, AD2, sizeof AD2, false, NULL));
	/* and the plain decrypt does not open a bound value either */
	assert_null(seal_decrypt(c, n));
	free(c);
}

static void test_legacy_values_open_and_say_so(void **state)
{
	(void)state;
	set_key();
	unsigned char *c;
	size_t n;
	assert_true(seal_encrypt("13800000000", 11, &c, &n));
	bool legacy = false;
	char *p = seal_decrypt_ad(c, n, AD1, sizeof AD1, true, &legacy);
	assert_non_null(p);
	assert_string_equal(p, "13800000000");
	assert_true(legacy);
	free(p);
	/* once every row is re-sealed, the legacy path is turned off and old values are refused */
	assert_null(seal_decrypt_ad(c, n, AD1, sizeof AD1, false, NULL));
	p = seal_decrypt(c, n);
	assert_non_null(p);
	free(p);
	free(c);
}

static void test_tampered_refused(void **state)
{
	(void)state;
	set_key();
	unsigned char *c;
	size_t n;
	assert_true(seal_encrypt_ad("x", 1, AD1, sizeof AD1, &c, &n));
	c[n - 1] ^= 1;
	assert_null(seal_decrypt_ad(c, n, AD1, sizeof AD1, true, NULL));
	assert_null(seal_decrypt_ad(c, 3, AD1, sizeof AD1, true, NULL));
	free(c);
}

static void write_key(const char *path, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	unsigned char key[32] = {1};
	assert_int_equal(write(fd, key, sizeof key), 32);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_key_file_mode_checked(void **state)
{
	(void)state;
	char dir[] = "/tmp/jiceng-seal-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64], err[256];
	snprintf(path, sizeof path, "%s/k", dir);
	write_key(path, 0600);
	assert_true(seal_load_key(path, err, sizeof err));
	write_key(path, 0400);
	assert_true(seal_load_key(path, err, sizeof err));
	write_key(path, 0640);
	assert_false(seal_load_key(path, err, sizeof err));
	assert_non_null(strstr(err, "0640"));
	write_key(path, 0604);
	assert_false(seal_load_key(path, err, sizeof err));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bound_opens_only_in_its_place),
	    cmocka_unit_test(test_legacy_values_open_and_say_so),
	    cmocka_unit_test(test_tampered_refused),
	    cmocka_unit_test(test_key_file_mode_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

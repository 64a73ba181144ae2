/*
 * Operators: the people who log in at a bench with their badge, with their role (a lead
 * may override a refusal) and the language the station speaks to them in.
 */
#define G_LOG_DOMAIN "station-store"

#include <string.h>

#include "station/st-error.h"

#include "st-i18n.h"
#include "st-store-private.h"

static const gchar *const role_names[ST_OPERATOR_ROLE_LAST] = {
	[ST_OPERATOR_ROLE_PACKER] = "packer",
	[ST_OPERATOR_ROLE_PICKER] = "picker",
	[ST_OPERATOR_ROLE_LEAD] = "lead",
};

const gchar *
st_operator_role_to_string(StOperatorRole role)
{
	if ((guint)role >= ST_OPERATOR_ROLE_LAST)
		return "unknown";
	return role_names[role];
}

gboolean
st_operator_role_from_string(const gchar *str, StOperatorRole *role)
{
	for (guint i = 0; i < ST_OPERATOR_ROLE_LAST; i++) {
		if (g_strcmp0(str, role_names[i]) == 0) {
			*role = (StOperatorRole)i;
			return TRUE;
		}
	}
	return FALSE;
}

void
st_operator_free(StOperator *self)
{
	if (self == NULL)
		return;
	g_free(self->badge);
	g_free(self->name);
	g_free(self->language);
	g_free(self);
}

StOperator *
st_operator_copy(const StOperator *self)
{
	StOperator *copy = g_new0(StOperator, 1);
	copy->id = self->id;
	copy->badge = g_strdup(self->badge);
	copy->name = g_strdup(self->name);
	copy->role = self->role;
	copy->language = g_strdup(self->language);
	return copy;
}

/**
 * st_store_put_operator:
 *
 * Adds an operator, or updates the one with that badge.
 *
 * Returns: FALSE with ST_ERROR_INVALID_DATA for an empty or too long badge or name, or a
 * language the station does not speak (en, zh-CN)
 */
gboolean
st_store_put_operator(StStore *self, const StOperatorSpec *spec, GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();
	const gchar *language = spec->language != NULL ? spec->language : "en";

	g_return_val_if_fail(self->db != NULL, FALSE);
	if (!st_store_check_text("the badge", spec->badge, 64, error) ||
	    !st_store_check_text("the name", spec->name, 128, error))
		return FALSE;
	if ((guint)spec->role >= ST_OPERATOR_ROLE_LAST) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "badge %s: the role is packer, picker or lead", spec->badge);
		return FALSE;
	}
	if (!st_i18n_language_known(language)) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_INVALID_DATA,
			    "badge %s: language '%s' is not one the station speaks (%s)",
			    spec->badge, language, st_i18n_describe_languages());
		return FALSE;
	}
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(self,
				"INSERT INTO operators (badge, name, role, language, created_at) "
				"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (badge) DO UPDATE SET "
				"name = ?2, role = ?3, language = ?4, updated_at = ?5",
				error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, spec->badge, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, spec->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, st_operator_role_to_string(spec->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, language, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "saving the operator", error)) {
		g_prefix_error(error, "badge %s: ", spec->badge);
		return FALSE;
	}
	return st_store_commit(tx, error);
}

static StOperator *
st_store_read_operator(sqlite3_stmt *stmt)
{
	StOperator *op = g_new0(StOperator, 1);
	op->id = sqlite3_column_int64(stmt, 0);
	op->badge = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	op->name = g_strdup((const gchar *)sqlite3_column_text(stmt, 2));
	if (!st_operator_role_from_string((const gchar *)sqlite3_column_text(stmt, 3), &op->role))
		op->role = ST_OPERATOR_ROLE_PACKER;
	op->language = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
	return op;
}

/* Returns: (transfer full): the operator with @badge, or NULL with ST_ERROR_NOT_FOUND */
StOperator *
st_store_find_operator(StStore *self, const gchar *badge, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT id, badge, name, role, language FROM operators "
				"WHERE badge = ?",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, badge, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return st_store_read_operator(stmt);
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "looking up an operator");
		return NULL;
	}
	g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no operator has badge %s", badge);
	return NULL;
}

/* Returns: (transfer container) (element-type StOperator): every operator, by badge */
GPtrArray *
st_store_get_operators(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func((GDestroyNotify)st_operator_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(
		self, "SELECT id, badge, name, role, language FROM operators ORDER BY badge",
		error);
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(ops, st_store_read_operator(stmt));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the operators");
		return NULL;
	}
	return g_steal_pointer(&ops);
}

/* Returns: 1 when at least one operator exists (benches then need a badge), 0 when none, -1
 * with @error when the store failed */
gint
st_store_has_operators(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, -1);
	stmt = st_store_prepare(self, "SELECT EXISTS (SELECT 1 FROM operators)", error);
	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		st_store_set_error(self, error, rc, "looking up the operators");
		return -1;
	}
	return sqlite3_column_int(stmt, 0) != 0 ? 1 : 0;
}

/**
 * st_store_set_seat_operator:
 * @seat: "bench", or a device with a workflow of its own
 * @operator_badge: (nullable): who logged in there; NULL when they logged out
 *
 * Kept in the transaction of the login or logout scan, so a restart knows who is at each
 * seat.
 */
gboolean
st_store_set_seat_operator(StStore *self,
			   const gchar *seat,
			   const gchar *operator_badge,
			   GError **error)
{
	g_autoptr(StStoreTx) tx = NULL;
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	g_return_val_if_fail(self->db != NULL, FALSE);
	tx = st_store_begin(self, error);
	if (tx == NULL)
		return FALSE;
	stmt = st_store_prepare(
		self,
		"INSERT INTO seats (seat, operator, updated_at) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (seat) DO UPDATE SET operator = ?2, updated_at = ?3",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, seat, -1, SQLITE_TRANSIENT);
	if (operator_badge != NULL)
		sqlite3_bind_text(stmt, 2, operator_badge, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "saving who is at the seat", error))
		return FALSE;
	return st_store_commit(tx, error);
}

/* Returns: (transfer full) (element-type utf8 utf8): seat -> the badge logged in there, for
 * every seat where someone is */
GHashTable *
st_store_get_seats(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autoptr(GHashTable) seats =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self, "SELECT seat, operator FROM seats WHERE operator IS NOT NULL",
				error);
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_hash_table_insert(seats, g_strdup((const gchar *)sqlite3_column_text(stmt, 0)),
				    g_strdup((const gchar *)sqlite3_column_text(stmt, 1)));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the seats");
		return NULL;
	}
	return g_steal_pointer(&seats);
}

/* Returns: (transfer full): the order of the last accepted scan at @seat that named one, or
 * NULL with ST_ERROR_NOT_FOUND when none did */
StOrder *
st_store_get_seat_order(StStore *self, const gchar *seat, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *number = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT o.number FROM scans s JOIN orders o ON o.id = s.order_id "
				"WHERE s.seat = ? AND s.verdict = 'ok' ORDER BY s.id DESC LIMIT 1",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, seat, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		number = g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	else if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the seat's last order");
		return NULL;
	}
	g_clear_pointer(&stmt, st_store_stmt_unref);
	if (number == NULL) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no order was scanned at %s",
			    seat);
		return NULL;
	}
	return st_store_find_order(self, number, error);
}

/* Returns: (transfer full) (nullable): the seat of the last accepted scan that named
 * @order_id, or NULL when none did (or with @error set when the store failed) */
gchar *
st_store_get_order_seat(StStore *self, gint64 order_id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT seat FROM scans WHERE order_id = ? AND verdict = 'ok' "
				"AND seat IS NOT NULL ORDER BY id DESC LIMIT 1",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, order_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return g_strdup((const gchar *)sqlite3_column_text(stmt, 0));
	if (rc != SQLITE_DONE)
		st_store_set_error(self, error, rc, "looking for the order's seat");
	return NULL;
}

/* Returns: (transfer full): the text of the last accepted scan at @seat, or NULL with
 * ST_ERROR_NOT_FOUND when there is none */
gchar *
st_store_get_seat_last_text(StStore *self, const gchar *seat, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	gint rc;

	g_return_val_if_fail(self->db != NULL, NULL);
	stmt = st_store_prepare(self,
				"SELECT text FROM scans WHERE seat = ? AND verdict = 'ok' "
				"ORDER BY id DESC LIMIT 1",
				error);
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, seat, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		return st_column_dup(stmt, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the seat's last scan");
		return NULL;
	}
	g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND, "no scan was accepted at %s", seat);
	return NULL;
}

void
st_api_token_free(StApiToken *self)
{
	if (self == NULL)
		return;
	g_free(self->name);
	g_free(self->created_at);
	g_free(self->revoked_at);
	g_free(self);
}

/**
 * st_store_add_api_token:
 * @sha256: the token's SHA-256 in hex (the token itself is never stored)
 *
 * Returns: the token's id, or 0 with @error
 */
gint64
st_store_add_api_token(StStore *self,
		       const gchar *name,
		       StOperatorRole role,
		       const gchar *sha256,
		       GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();

	if (!st_store_check_text("the token's name", name, 64, error))
		return 0;
	stmt = st_store_prepare(
		self,
		"INSERT INTO api_tokens (name, role, sha256, created_at) VALUES (?, ?, "
		"?, ?)",
		error);
	if (stmt == NULL)
		return 0;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, st_operator_role_to_string(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
	if (!st_store_step_done(self, stmt, "storing the token", error))
		return 0;
	return sqlite3_last_insert_rowid(self->db);
}

static StApiToken *
st_store_read_api_token(sqlite3_stmt *stmt)
{
	StApiToken *t = g_new0(StApiToken, 1);
	t->id = sqlite3_column_int64(stmt, 0);
	t->name = g_strdup((const gchar *)sqlite3_column_text(stmt, 1));
	st_operator_role_from_string((const gchar *)sqlite3_column_text(stmt, 2), &t->role);
	t->created_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 3));
	t->revoked_at = g_strdup((const gchar *)sqlite3_column_text(stmt, 4));
	return t;
}

/* Returns: (transfer full) (nullable): the token that is not revoked whose SHA-256 is @sha256,
 * else NULL (with @error only when the store failed) */
StApiToken *
st_store_find_api_token(StStore *self, const gchar *sha256, GError **error)
{
	g_autoptr(StStoreStmt) stmt =
		st_store_prepare(self,
				 "SELECT id, name, role, created_at, revoked_at FROM api_tokens "
				 "WHERE sha256 = ? AND "
				 "revoked_at IS NULL",
				 error);
	gint rc;
	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, sha256, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		return st_store_read_api_token(stmt);
	if (rc != SQLITE_DONE)
		st_store_set_error(self, error, rc, "reading the tokens");
	return NULL;
}

/* Returns: (transfer container) (element-type StApiToken): every token, revoked ones too */
GPtrArray *
st_store_get_api_tokens(StStore *self, GError **error)
{
	g_autoptr(StStoreStmt) stmt = st_store_prepare(
		self, "SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY id",
		error);
	g_autoptr(GPtrArray) tokens =
		g_ptr_array_new_with_free_func((GDestroyNotify)st_api_token_free);
	gint rc;
	if (stmt == NULL)
		return NULL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_ptr_array_add(tokens, st_store_read_api_token(stmt));
	if (rc != SQLITE_DONE) {
		st_store_set_error(self, error, rc, "reading the tokens");
		return NULL;
	}
	return g_steal_pointer(&tokens);
}

/* Returns: FALSE with ST_ERROR_NOT_FOUND when no token @id is in use */
gboolean
st_store_revoke_api_token(StStore *self, gint64 id, GError **error)
{
	g_autoptr(StStoreStmt) stmt = NULL;
	g_autofree gchar *now = st_store_now();
	stmt = st_store_prepare(
		self,
		"UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS "
		"NULL",
		error);
	if (stmt == NULL)
		return FALSE;
	sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, id);
	if (!st_store_step_done(self, stmt, "revoking the token", error))
		return FALSE;
	if (sqlite3_changes(self->db) == 0) {
		g_set_error(error, ST_STORE_ERROR, ST_ERROR_NOT_FOUND,
			    "no token %" G_GINT64_FORMAT " in use", id);
		return FALSE;
	}
	return TRUE;
}

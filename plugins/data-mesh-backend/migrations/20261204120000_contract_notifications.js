/*
 * When the owners of affected consumers were told of a contract version's
 * breaking changes, so that each version is told once, whatever the number
 * of backend instances and restarts.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dm_contract_versions', table => {
    table
      .bigInteger('notified_at')
      .nullable()
      .comment(
        'epoch milliseconds when consumers were told of this version; null until then',
      );
  });
  // Versions seen before notifications existed are old news: telling their
  // consumers now would announce changes that landed long ago.
  await knex('dm_contract_versions').update({
    notified_at: knex.ref('last_seen_at'),
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dm_contract_versions', table => {
    table.dropColumn('notified_at');
  });
};

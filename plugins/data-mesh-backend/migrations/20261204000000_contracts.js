/*
 * Output port contracts (ODCS v3): the current read state of each declared
 * contract, and every version of it the plugin has seen, so that changes
 * between versions can be shown and classified.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_contract_ports', table => {
    table.comment('The last read of the contract an output port declares');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('the product, as a lower-case full ref');
    table.string('port', 255).notNullable().comment('output port name');
    table
      .text('location')
      .notNullable()
      .comment('the contract location as declared in the descriptor');
    table
      .string('status', 16)
      .notNullable()
      .comment('ok, unreadable or invalid');
    table
      .string('reason', 32)
      .nullable()
      .comment('why it is unreadable: not-found, not-allowed, too-large, ...');
    table.text('message').nullable().comment('what went wrong and the fix');
    table
      .string('digest', 64)
      .nullable()
      .comment('sha256 of the contract read, when ok');
    table
      .bigInteger('read_at')
      .notNullable()
      .comment('epoch milliseconds of the read');
    table.primary(['entity_ref', 'port']);
  });
  await knex.schema.createTable('dm_contract_versions', table => {
    table.comment('Every version of an output port contract seen');
    // Orders versions first seen in the same millisecond.
    table.increments('id').comment('order of insertion');
    table.string('entity_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.string('digest', 64).notNullable().comment('sha256 of the file');
    table.text('contract_id').notNullable().comment('the contract id');
    table
      .text('contract_version')
      .notNullable()
      .comment('the contract version');
    table.string('api_version', 32).notNullable().comment('ODCS apiVersion');
    table.text('document').notNullable().comment('the contract, as JSON');
    table
      .bigInteger('first_seen_at')
      .notNullable()
      .comment('epoch milliseconds of the first read of this digest');
    table
      .bigInteger('last_seen_at')
      .notNullable()
      .comment('epoch milliseconds of the latest read of this digest');
    table.unique(['entity_ref', 'port', 'digest'], {
      indexName: 'dm_contract_versions_digest_idx',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_contract_versions');
  await knex.schema.dropTable('dm_contract_ports');
};

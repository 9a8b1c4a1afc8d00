import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('mistakes in the command line', () => {
  it('are told in pt-BR, with exit 2', () => {
    const cases: [string[], string][] = [
      [['frobnicate'], "erro: comando desconhecido 'frobnicate'"],
      [['plna'], '(Você quis dizer plan?)'],
      [['plan', '--bogus', 'x.csv'], "erro: opção desconhecida '--bogus'"],
      [['plan'], "erro: falta o argumento obrigatório 'formularios'"],
      [['plan', '--encoding', 'latin1', 'x.csv'], "erro: valor 'latin1' inválido para a opção '--encoding <codificação>'. Valores aceitos: auto, utf-8, windows-1252."],
      [['mail', 'test', 'a@b.c', 'extra'], 'erro: argumentos demais (esperados 1, recebidos 2).'],
    ];
    for (const [args, expected] of cases) {
      const r = cli(...args);
      expect(r.status, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.contain(expected).and.not.to.match(/\berror:|Did you mean/);
    }
  });

  it('and the usage line of the help is pt-BR too', () => {
    const top = cli('--help');
    expect(top.status).to.equal(0);
    expect(top.stdout).to.contain('Uso: sei-contas [opções] [comando]');
    expect(cli('plan', '--help').stdout).to.contain('Uso: sei-contas plan [opções] <formularios...>').and.not.to.contain('[options]');
  });
});
